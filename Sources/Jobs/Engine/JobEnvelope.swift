import Foundation

/// A job as stored in Redis: one string, so every list, sorted set and script moves it as one value.
///
/// Layout: `id \t name \t group \t attempt \t enqueuedMs \t uniqueKey \n historyJSON \n payloadJSON`.
/// Lua scripts read the group with `^[^\t]*\t[^\t]*\t([^\t]*)\t`; header fields never contain tab or
/// newline (enqueue rejects them). `attempt` counts the runs that already failed.
struct JobEnvelope: Sendable, Hashable {
    var id: String
    var name: String
    var group: String
    var attempt: Int
    var enqueuedAtMilliseconds: Int64
    var uniqueKey: String
    var history: [JobAttempt]
    var payload: [UInt8]

    /// The group used for jobs that carry none.
    static let defaultGroup = "_"

    /// The exact bytes stored in Redis.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + payload.count)
        bytes.append(contentsOf: id.utf8)
        bytes.append(9)
        bytes.append(contentsOf: name.utf8)
        bytes.append(9)
        bytes.append(contentsOf: group.utf8)
        bytes.append(9)
        bytes.append(contentsOf: String(attempt).utf8)
        bytes.append(9)
        bytes.append(contentsOf: String(enqueuedAtMilliseconds).utf8)
        bytes.append(9)
        bytes.append(contentsOf: uniqueKey.utf8)
        bytes.append(10)
        if !history.isEmpty, let json = try? JSONEncoder().encode(history) { bytes.append(contentsOf: json) }
        bytes.append(10)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// Parses the stored bytes.
    /// - Throws: ``JobError`` `.payloadEncoding` when the header is malformed.
    init(decoding bytes: [UInt8]) throws {
        var fields: [Substring] = []
        guard let firstNewline = bytes.firstIndex(of: 10) else { throw Self.malformed }
        let header = String(decoding: bytes[..<firstNewline], as: UTF8.self)
        fields = header.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 6, let attempt = Int(fields[3]), let enqueued = Int64(fields[4]) else {
            throw Self.malformed
        }
        let rest = bytes[(firstNewline + 1)...]
        guard let secondNewline = rest.firstIndex(of: 10) else { throw Self.malformed }
        let historyBytes = rest[..<secondNewline]
        id = String(fields[0])
        name = String(fields[1])
        group = String(fields[2])
        self.attempt = attempt
        enqueuedAtMilliseconds = enqueued
        uniqueKey = String(fields[5])
        history =
            historyBytes.isEmpty ? [] : (try? JSONDecoder().decode([JobAttempt].self, from: Data(historyBytes))) ?? []
        payload = Array(rest[(secondNewline + 1)...])
    }

    init(
        id: String,
        name: String,
        group: String,
        attempt: Int = 0,
        enqueuedAtMilliseconds: Int64,
        uniqueKey: String = "",
        history: [JobAttempt] = [],
        payload: [UInt8]
    ) {
        self.id = id
        self.name = name
        self.group = group
        self.attempt = attempt
        self.enqueuedAtMilliseconds = enqueuedAtMilliseconds
        self.uniqueKey = uniqueKey
        self.history = history
        self.payload = payload
    }

    private static var malformed: JobError {
        JobError(.payloadEncoding, message: "a job in Redis has a malformed header")
    }

    /// A new random job ID: 32 lowercase hex digits.
    static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let text = String(high, radix: 16) + String(low, radix: 16)
        return text
    }

    /// `true` when `text` can be a header field (no tab, newline or carriage return).
    static func isValidField(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 9 || $0 == 10 || $0 == 13 }
    }

    /// Milliseconds since 1970 for `date`.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
