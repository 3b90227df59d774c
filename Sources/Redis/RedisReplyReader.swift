internal import CHiredis

/// Parses RESP bytes into ``RedisReply`` values with hiredis's own reader and the same conversion a
/// connection uses, for bytes that arrive outside a connection (captured traffic, tests, fuzzing).
///
/// Not thread safe: one owner feeds it and reads from it. The reader owns its hiredis handle and frees it
/// in `deinit`.
///
/// ```swift
/// let reader = try RedisReplyReader()
/// try reader.feed(Array("*2\r\n:1\r\n$3\r\nabc\r\n".utf8))
/// let reply = try reader.next()  // .array([.integer(1), .bulk([97, 98, 99])])
/// ```
public final class RedisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>

    /// Creates an empty reader.
    /// - Throws: ``RedisError`` (`unexpectedReply`) when hiredis cannot allocate one.
    public init() throws {
        guard let reader = redisReaderCreate() else {
            throw RedisError(.unexpectedReply, message: "redisReaderCreate failed")
        }
        self.reader = reader
    }

    deinit { redisReaderFree(reader) }

    /// Appends bytes to the reader's buffer.
    /// - Parameter bytes: raw RESP bytes, any split (a reply may span several calls).
    /// - Throws: ``RedisError`` (`protocolError`) when the reader is already in an error state.
    public func feed(_ bytes: [UInt8]) throws {
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in redisReaderFeed(reader, chars.baseAddress, chars.count)
            }
        }
        guard status == REDIS_OK else { throw protocolError() }
    }

    /// The next complete reply, or `nil` when the buffer holds only part of one.
    /// - Returns: the reply, converted exactly as a connection converts it.
    /// - Throws: ``RedisError`` `protocolError` for bytes that are not RESP (the reader stays failed),
    ///   `serverError` for an error reply (`-ERR …`), `unexpectedReply` for a type hiredis does not name.
    public func next() throws -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else { throw protocolError() }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return try RedisConnection.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private func protocolError() -> RedisError {
        let text = withUnsafeBytes(of: reader.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return RedisError(.protocolError, message: text.isEmpty ? "malformed reply" : text)
    }
}
