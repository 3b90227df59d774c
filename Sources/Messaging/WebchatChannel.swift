import Foundation
public import Redis

/// The Redis side of the webchat channel: one stream per conversation plus one notification stream that every
/// `serve` process follows (``WebchatHub``).
///
/// Keys: `<prefix>:{<tenant>}:visitor:<visitor>` (the conversation, capped at ``retainedEvents`` entries,
/// expiring ``retention`` after its last entry) and `<prefix>:notify` (every publish, capped, so any number of
/// `serve` processes can fan replies out to the browsers connected to them).
///
/// ```swift
/// let channel = WebchatChannel(redis: redis)
/// let event = try await channel.publish(
///     WebchatEvent(role: .assistant, text: "Hello!", messageID: id), tenantID: tenant, visitorID: visitor)
/// let missed = try await channel.events(tenantID: tenant, visitorID: visitor, after: lastEventID)
/// ```
///
/// Thread-safe (a value over a thread-safe ``RedisClient``).
public struct WebchatChannel: Sendable {
    /// The client the commands run on.
    public let redis: RedisClient
    /// The key prefix (default `woodstock:webchat`).
    public let keyPrefix: String
    /// How many entries a conversation stream keeps (approximately; default 200).
    public let retainedEvents: Int
    /// How long a conversation stream lives after its last entry (default 7 days).
    public let retention: Duration

    /// Creates a channel.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - keyPrefix: Prefix of every key.
    ///   - retainedEvents: Entries kept per conversation.
    ///   - retention: Lifetime of an idle conversation stream.
    public init(
        redis: RedisClient, keyPrefix: String = "woodstock:webchat", retainedEvents: Int = 200,
        retention: Duration = .seconds(7 * 86_400)
    ) {
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.retainedEvents = retainedEvents
        self.retention = retention
    }

    /// The stream of one visitor's conversation with one tenant.
    /// - Parameters:
    ///   - tenantID: The tenant (must not contain `{` or `}`).
    ///   - visitorID: The visitor.
    /// - Returns: `<prefix>:{<tenant>}:visitor:<visitor>`.
    public func conversationKey(tenantID: String, visitorID: String) -> String {
        "\(keyPrefix):{\(tenantID)}:visitor:\(visitorID)"
    }

    /// The stream every publish is announced on.
    public var notificationKey: String { "\(keyPrefix):notify" }

    /// Appends an event to the conversation and announces it (two round trips).
    /// - Parameters:
    ///   - event: The event; its ``WebchatEvent/id`` is ignored.
    ///   - tenantID: The tenant.
    ///   - visitorID: The visitor.
    /// - Returns: The event with its stream id.
    /// - Throws: ``RedisError`` or ``MessagingError``; the event may then have been appended or not (publishing again is harmless:
    ///   the widget shows each ``WebchatEvent/messageID`` once).
    @discardableResult
    public func publish(_ event: WebchatEvent, tenantID: String, visitorID: String) async throws -> WebchatEvent {
        let key = conversationKey(tenantID: tenantID, visitorID: visitorID)
        var data = event
        data.id = ""
        let json = try JSONEncoder().encode(data)
        let reply = try await redis.send(
            RedisCommand(
                "XADD", arguments: [key, "MAXLEN", "~", retainedEvents, "*", "d", Array(json)]))
        guard let id = reply.string else {
            throw MessagingError(.dependencyFailed, message: "webchat publish: XADD returned no id")
        }
        let replies = try await redis.pipeline([
            RedisCommand("PEXPIRE", key, Int(retention.components.seconds * 1000)),
            RedisCommand(
                "XADD", arguments: [notificationKey, "MAXLEN", "~", 10_000, "*", "k", key, "i", id, "d", Array(json)]),
        ])
        for result in replies { _ = try result.get() }
        var published = event
        published.id = id
        return published
    }

    /// The conversation's events after `lastID` (all retained ones when `nil`), oldest first.
    /// - Parameters:
    ///   - tenantID: The tenant.
    ///   - visitorID: The visitor.
    ///   - lastID: The last stream id the client has (`Last-Event-ID`), or `nil`.
    ///   - limit: The most events returned.
    /// - Returns: The events, each with its stream id.
    /// - Throws: ``RedisError``.
    public func events(
        tenantID: String, visitorID: String, after lastID: String?, limit: Int = 500
    ) async throws -> [WebchatEvent] {
        let key = conversationKey(tenantID: tenantID, visitorID: visitorID)
        let start = lastID.map { "(" + $0 } ?? "-"
        let reply = try await redis.send("XRANGE", key, start, "+", "COUNT", limit)
        return (reply.array ?? []).compactMap { Self.decodeEntry($0, field: "d")?.event }
    }

    /// Decodes one stream entry `[id, [field, value, ...]]`: the event in `field` and the other fields.
    static func decodeEntry(_ entry: RedisReply, field: String) -> (event: WebchatEvent, fields: [String: String])? {
        guard let parts = entry.array, parts.count == 2, let id = parts[0].string, let values = parts[1].array
        else { return nil }
        var fields: [String: String] = [:]
        var data: [UInt8]?
        var index = 0
        while index + 1 < values.count {
            if let name = values[index].string {
                if name == field { data = values[index + 1].bytes } else { fields[name] = values[index + 1].string }
            }
            index += 2
        }
        guard let data, var event = try? JSONDecoder().decode(WebchatEvent.self, from: Data(data)) else {
            return nil
        }
        event.id = fields["i"] ?? id
        return (event, fields)
    }
}
