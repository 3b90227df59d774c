// libFuzzer target: Redis replies (hiredis's reader + our conversion, Sources/Redis/RedisReplyReader.swift and
// RedisConnection.convert). Any bytes, fed whole or in two parts, give the same replies or the same error.
import Redis

private func replies(_ parts: [[UInt8]]) -> [String] {
    guard let reader = try? RedisReplyReader() else { fatalError("reader allocation failed") }
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

/// libFuzzer's entry point: checks one input of `size` bytes at `data`; returns 0 (a failed check traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRedisReply(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = replies([bytes])
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let split = replies([Array(bytes[..<cut]), Array(bytes[cut...])])
    if whole != split { fatalError("replies depend on how the bytes were split: \(whole) vs \(split)") }
    return 0
}
