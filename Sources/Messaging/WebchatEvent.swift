import Foundation

/// One entry of a webchat conversation as the browser sees it: a visitor's message or a reply.
///
/// Stored as the `d` field of an entry in the conversation's Redis stream; ``id`` is the stream entry id
/// (`<ms>-<seq>`), used as the Server-Sent Events `id:` so a reconnect with `Last-Event-ID` resumes after it.
/// A reply published twice (a retried job) keeps its ``messageID``: the widget shows each message id once.
public struct WebchatEvent: Codable, Sendable, Equatable {
    /// Who wrote it.
    public enum Role: String, Codable, Sendable {
        /// The website visitor.
        case visitor
        /// The AI assistant (or the fallback / hand-over message sent in its name).
        case assistant
        /// A person on the tenant's side.
        case agent
    }

    /// The stream entry id (`<ms>-<seq>`); empty until published.
    public var id: String
    /// Who wrote it.
    public var role: Role
    /// The text.
    public var text: String
    /// The stable message id (`chatbot_messages.id` of a reply part, the generated id of a visitor message).
    public var messageID: String
    /// When it was published, in epoch milliseconds.
    public var timestampMs: Int64

    /// Creates an event.
    public init(id: String = "", role: Role, text: String, messageID: String, timestampMs: Int64? = nil) {
        self.id = id
        self.role = role
        self.text = text
        self.messageID = messageID
        self.timestampMs = timestampMs ?? Int64(Date().timeIntervalSince1970 * 1000)
    }

    enum CodingKeys: String, CodingKey {
        case id, role, text, messageID = "mid", timestampMs = "ts"
    }

    /// Whether ``id`` comes after the stream id `other` (`nil` or unparsable: everything comes after it).
    /// - Parameter other: A stream entry id such as `1700000000000-0`.
    /// - Returns: `true` when this event is newer.
    public func isAfter(_ other: String?) -> Bool {
        guard let other, let theirs = Self.parse(other) else { return true }
        guard let mine = Self.parse(id) else { return false }
        return mine.0 != theirs.0 ? mine.0 > theirs.0 : mine.1 > theirs.1
    }

    /// Whether `text` is a well-formed stream entry id (`<ms>-<seq>` or `<ms>`).
    /// - Parameter text: A client-supplied id (`Last-Event-ID`).
    /// - Returns: `true` when Redis would accept it as a range bound.
    public static func isValidID(_ text: String) -> Bool { parse(text) != nil }

    private static func parse(_ text: String) -> (UInt64, UInt64)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let ms = UInt64(parts[0]) else { return nil }
        if parts.count == 1 { return (ms, 0) }
        guard let seq = UInt64(parts[1]) else { return nil }
        return (ms, seq)
    }
}
