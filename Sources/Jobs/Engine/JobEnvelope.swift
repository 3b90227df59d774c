import Foundation
import Synchronization

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
        var fieldEnds: [Int] = []
        fieldEnds.reserveCapacity(7)
        var index = 0
        while index < bytes.count, fieldEnds.count < 7 {
            let byte = bytes[index]
            if byte == 9 && fieldEnds.count < 5 {
                fieldEnds.append(index)
            } else if byte == 10 {
                guard fieldEnds.count >= 5 else { throw Self.malformed }
                fieldEnds.append(index)
            }
            index += 1
        }
        guard fieldEnds.count == 7 else { throw Self.malformed }
        func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }
        guard let attempt = Int(text(fieldEnds[2] + 1, fieldEnds[3])),
            let enqueued = Int64(text(fieldEnds[3] + 1, fieldEnds[4]))
        else { throw Self.malformed }
        id = text(0, fieldEnds[0])
        name = text(fieldEnds[0] + 1, fieldEnds[1])
        group = text(fieldEnds[1] + 1, fieldEnds[2])
        self.attempt = attempt
        enqueuedAtMilliseconds = enqueued
        uniqueKey = text(fieldEnds[4] + 1, fieldEnds[5])
        let historyBytes = bytes[(fieldEnds[5] + 1)..<fieldEnds[6]]
        history =
            historyBytes.isEmpty ? [] : (try? JSONDecoder().decode([JobAttempt].self, from: Data(historyBytes))) ?? []
        payload = Array(bytes[(fieldEnds[6] + 1)...])
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

    /// A new job ID: a random 64-bit prefix drawn once per process, then a per-process counter, in hex.
    /// Unique across processes without a random draw per job.
    static func makeID() -> String {
        let next = idCounter.add(1, ordering: .relaxed).newValue
        return idPrefix + String(next, radix: 16)
    }

    private static let idPrefix: String = {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-"
    }()

    private static let idCounter = Atomic<UInt64>(0)

    /// `true` when `text` can be a header field (no tab, newline or carriage return).
    static func isValidField(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 9 || $0 == 10 || $0 == 13 }
    }

    /// Milliseconds since 1970 for `date`.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
