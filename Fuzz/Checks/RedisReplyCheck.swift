import Redis

/// Redis replies' property (hiredis's reader + our conversion, Sources/Redis/RedisReplyReader.swift), shared by the
/// libFuzzer target and the corpus replay test: any bytes, fed whole or in two parts (cut where the first byte
/// says), give the same replies or the same error.
public enum RedisReplyCheck {
    /// Checks one input.
    /// - Parameter bytes: what a server might send.
    /// - Returns: what went wrong, or `nil` when the property holds.
    public static func check(_ bytes: [UInt8]) -> String? {
        let whole = replies([bytes])
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        let split = replies([Array(bytes[..<cut]), Array(bytes[cut...])])
        return whole == split ? nil : "replies depend on how the bytes were split: \(whole) vs \(split)"
    }

    private static func replies(_ parts: [[UInt8]]) -> [String] {
        guard let reader = try? RedisReplyReader() else { return ["reader allocation failed"] }
        var out: [String] = []
        for part in parts {
            do { try reader.feed(part) } catch { return out + ["feed error"] }
            for _ in 0..<1_000 {
                do {
                    guard let reply = try reader.next() else { break }
                    out.append("\(reply)")
                } catch let error as RedisError where error.code == .serverError {
                    out.append("server error")
                } catch {
                    return out + ["protocol error"]
                }
            }
        }
        return out
    }
}
