public import Foundation
import HTTP

extension GraphClient {
    /// The most recent messages between the business account and one customer, newest first, read through the
    /// Conversations API: `GET /<account>/conversations?platform=…&user_id=<customer>&fields=messages.limit(N){…}`
    /// (Instagram Login: https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/conversations-api;
    /// Facebook Login / Messenger: https://developers.facebook.com/docs/messenger-platform/conversations).
    ///
    /// Meta allows 2 calls per second per account on this API (rate limited calls throw `.graphError` with category
    /// `rateLimited`); Instagram returns details only for the 20 most recent messages of a conversation.
    /// - Parameters:
    ///   - customerID: the customer's IGSID (or PSID).
    ///   - account: the business account (IG user id, Page id or `me`).
    ///   - channel: `instagram` or `messenger`; `nil` picks `instagram` for Instagram Login accounts and `messenger`
    ///     for Facebook Login accounts.
    ///   - limit: how many messages to ask for (1-100, default 20).
    ///   - token: the account's access token (sent in `Authorization`, never in the URL).
    /// - Returns: the messages of the conversation(s) with `customerID`, newest first; empty when there is none.
    /// - Throws: ``MetaError``: `.graphError` (190 → `tokenInvalid`, 4/613 → `rateLimited`, 5xx → `transient`,
    ///   a missing permission or Advanced Access → `permission`), `.transport`, `.malformedPayload`.
    public func recentMessages(
        with customerID: String, account: GraphAccount, channel: ConversationChannel? = nil, limit: Int = 20,
        token: String
    ) async throws -> [ConversationMessage] {
        let channel = channel ?? (account.platform == .instagram ? .instagram : .messenger)
        let count = min(max(limit, 1), 100)
        let reply = try await transport.send(
            .get, url(account, "/conversations"),
            query: [
                ("platform", channel.rawValue), ("user_id", customerID),
                ("fields", "messages.limit(\(count)){id,created_time,from,to,message}"),
            ],
            token: token, proofSecret: proofSecret(for: account.platform), operation: "conversations")
        let decoded = try transport.decode(ConversationsResponse.self, from: reply, operation: "conversations")
        let messages = (decoded.data ?? []).flatMap { $0.messages?.data ?? [] }.compactMap { message in
            message.id.map {
                ConversationMessage(
                    id: $0, text: message.message ?? "", senderID: message.from?.id ?? "",
                    createdAt: message.created_time.flatMap { GraphTimestamp.date($0.text) })
            }
        }
        return messages.sorted { ($0.createdAt ?? .distantPast) > ($1.createdAt ?? .distantPast) }
    }
}

/// Which inbox the Conversations API reads (`platform=`).
public enum ConversationChannel: String, Sendable, Hashable, CaseIterable {
    /// Instagram direct messages.
    case instagram
    /// Facebook Messenger.
    case messenger
}

/// One message of a conversation as the Conversations API lists it.
public struct ConversationMessage: Sendable, Equatable {
    /// The message id (the same `mid` the Send API returned and the webhook echo carried).
    public let id: String
    /// `message`: the text; empty for attachment-only messages.
    public let text: String
    /// `from.id`: who sent it (the business account's id, or the customer's IGSID/PSID).
    public let senderID: String
    /// `created_time`, when Meta stored the message (`nil` when absent or unreadable).
    public let createdAt: Date?

    /// Creates a message.
    /// - Parameters:
    ///   - id: message id.
    ///   - text: text.
    ///   - senderID: sender id.
    ///   - createdAt: creation time.
    public init(id: String, text: String, senderID: String, createdAt: Date?) {
        self.id = id
        self.text = text
        self.senderID = senderID
        self.createdAt = createdAt
    }
}

private struct ConversationsResponse: Decodable {
    struct Conversation: Decodable { let messages: Edge? }
    struct Edge: Decodable { let data: [Message]? }
    struct Message: Decodable {
        let id: String?
        let created_time: GraphTimestamp?
        let from: Person?
        let message: String?
    }
    struct Person: Decodable { let id: String? }
    let data: [Conversation]?
}
