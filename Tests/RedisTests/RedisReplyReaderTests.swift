import Redis
import Testing

/// RESP bytes through hiredis's reader and the connection's own conversion (the fuzzed path).
@Suite struct RedisReplyReaderTests {
    @Test("every reply type converts as a connection converts it, fed whole or byte by byte")
    func replyTypes() throws {
        let bytes = Array("+OK\r\n:-7\r\n$3\r\na\0c\r\n$-1\r\n*2\r\n$0\r\n\r\n*1\r\n:1\r\n".utf8)
        let expected: [RedisReply] = [
            .status("OK"), .integer(-7), .bulk([97, 0, 99]), .null, .array([.bulk([]), .array([.integer(1)])]),
        ]
        #expect(try Self.replies(feeding: [bytes]) == expected)
        #expect(try Self.replies(feeding: bytes.map { [$0] }) == expected)
    }

    @Test("an error reply throws serverError; the next reply still reads")
    func errorReply() throws {
        let reader = try RedisReplyReader()
        try reader.feed(Array("-ERR wrong\r\n:5\r\n".utf8))
        let error = #expect(throws: RedisError.self) { try reader.next() }
        #expect(error?.code == .serverError)
        #expect(try reader.next() == .integer(5))
        #expect(try reader.next() == nil)
    }

    @Test("bytes that are not RESP throw protocolError, and the reader stays failed")
    func protocolError() throws {
        let reader = try RedisReplyReader()
        try reader.feed(Array("?what\r\n".utf8))
        let error = #expect(throws: RedisError.self) { try reader.next() }
        #expect(error?.code == .protocolError)
        #expect(throws: RedisError.self) { try reader.feed(Array(":1\r\n".utf8)) }
    }

    @Test("a partial reply is nil until the rest arrives")
    func partialReply() throws {
        let reader = try RedisReplyReader()
        try reader.feed(Array("$5\r\nab".utf8))
        #expect(try reader.next() == nil)
        try reader.feed(Array("cde\r\n".utf8))
        #expect(try reader.next() == .bulk(Array("abcde".utf8)))
    }

    private static func replies(feeding parts: [[UInt8]]) throws -> [RedisReply] {
        let reader = try RedisReplyReader()
        var replies: [RedisReply] = []
        for part in parts {
            try reader.feed(part)
            while let reply = try reader.next() { replies.append(reply) }
        }
        return replies
    }
}
