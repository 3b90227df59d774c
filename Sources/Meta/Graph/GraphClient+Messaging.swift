import Foundation
import HTTP

extension GraphClient {
    /// Sends one text message (≤ 1000 UTF-8 bytes; split longer replies with ``MessageSplitter`` or use
    /// ``sendReply(_:to:from:token:)``).
    /// - Parameters:
    ///   - text: the message text.
    ///   - recipientID: the customer's IGSID (or PSID).
    ///   - account: the business account sending.
    ///   - token: the account's access token (IG user token or Page token).
    ///   - humanAgent: send with `messaging_type: MESSAGE_TAG, tag: HUMAN_AGENT` — only for a reply written by a
    ///     person, up to 7 days after the customer's last message. Never for AI replies.
    /// - Returns: the ids Meta assigned (store `messageID`: the echo carries it).
    /// - Throws: ``MetaError``; `.invalidRequest` for empty or over-long text.
    public func sendText(
        _ text: String, to recipientID: String, from account: GraphAccount, token: String, humanAgent: Bool = false
    ) async throws -> SentMessage {
        guard !text.isEmpty, text.utf8.count <= MessageSplitter.instagramTextLimit else {
            throw MetaError(.invalidRequest, message: "send: text must be 1-1000 UTF-8 bytes, got \(text.utf8.count)")
        }
        var json = JSONBodyWriter(capacity: 96 + text.utf8.count)
        json.raw("{")
        json.key("message")
        json.raw("{")
        json.key("text")
        json.string(text)
        json.raw("},")
        json.key("messaging_type")
        json.raw(humanAgent ? "\"MESSAGE_TAG\"," : "\"RESPONSE\",")
        Self.writeRecipient(recipientID, to: &json)
        if humanAgent {
            json.raw(",")
            json.key("tag")
            json.raw("\"HUMAN_AGENT\"")
        }
        json.raw("}")
        return try await postMessage(json.bytes, account: account, token: token, operation: "send")
    }

    /// Sends a reply of any length as consecutive messages of ≤ 1000 bytes, split at paragraph, sentence or word
    /// boundaries. Parts go out in order; if part *n* fails, parts before it were delivered and the error is thrown.
    /// - Parameters:
    ///   - text: the reply.
    ///   - recipientID: the customer's IGSID.
    ///   - account: the business account.
    ///   - token: its access token.
    /// - Returns: one ``SentMessage`` per part.
    /// - Throws: ``MetaError``.
    public func sendReply(
        _ text: String, to recipientID: String, from account: GraphAccount, token: String
    ) async throws -> [SentMessage] {
        var sent: [SentMessage] = []
        for part in MessageSplitter.split(text) {
            sent.append(try await sendText(part, to: recipientID, from: account, token: token))
        }
        return sent
    }

    /// Sends a media attachment by URL (one per request).
    /// - Parameters:
    ///   - type: `image`, `audio`, `video` or `file`.
    ///   - mediaURL: a public https URL of the media.
    ///   - recipientID: the customer's IGSID.
    ///   - account: the business account.
    ///   - token: its access token.
    /// - Returns: the ids Meta assigned.
    /// - Throws: ``MetaError``.
    public func sendAttachment(
        type: String, url mediaURL: String, to recipientID: String, from account: GraphAccount, token: String
    ) async throws -> SentMessage {
        var json = JSONBodyWriter()
        json.raw("{")
        json.key("message")
        json.raw("{")
        json.key("attachment")
        json.raw("{")
        json.key("payload")
        json.raw("{")
        json.key("url")
        json.string(mediaURL)
        json.raw("},")
        json.key("type")
        json.string(type)
        json.raw("}},")
        Self.writeRecipient(recipientID, to: &json)
        json.raw("}")
        return try await postMessage(json.bytes, account: account, token: token, operation: "send attachment")
    }

    /// Shows a typing indicator or marks the conversation seen.
    /// - Parameters:
    ///   - action: the sender action.
    ///   - recipientID: the customer's IGSID.
    ///   - account: the business account.
    ///   - token: its access token.
    /// - Throws: ``MetaError``.
    public func sendAction(
        _ action: SenderAction, to recipientID: String, from account: GraphAccount, token: String
    ) async throws {
        var json = JSONBodyWriter()
        json.raw("{")
        Self.writeRecipient(recipientID, to: &json)
        json.raw(",")
        json.key("sender_action")
        json.string(action.rawValue)
        json.raw("}")
        _ = try await postMessage(json.bytes, account: account, token: token, operation: "sender action")
    }

    /// `"recipient":{"id":…}`; send bodies are written with sorted keys, as META.md's examples allow (any order).
    private static func writeRecipient(_ recipientID: String, to json: inout JSONBodyWriter) {
        json.key("recipient")
        json.raw("{")
        json.key("id")
        json.string(recipientID)
        json.raw("}")
    }

    private func postMessage(
        _ body: [UInt8], account: GraphAccount, token: String, operation: String
    ) async throws -> SentMessage {
        let reply = try await transport.send(
            .post, url(account, "/messages"), token: token, body: .json(body),
            proofSecret: proofSecret(for: account.platform), operation: operation)
        let decoded = try transport.decode(SendResponse.self, from: reply, operation: operation)
        return SentMessage(
            recipientID: decoded.recipient_id ?? "", messageID: decoded.message_id ?? "", usage: reply.usage)
    }
}

/// Meta's answer to a send: `{"recipient_id","message_id"}`.
private struct SendResponse: Decodable, GraphFastDecodable {
    let recipient_id: String?
    let message_id: String?

    static func fastDecoded(from body: [UInt8]) -> SendResponse? {
        guard let members = GraphField.members(body),
            let recipient = JSONBodyValue.optionalString(members["recipient_id"]),
            let message = JSONBodyValue.optionalString(members["message_id"])
        else { return nil }
        return SendResponse(recipient_id: recipient, message_id: message)
    }
}

/// What Meta returned for one sent message.
public struct SentMessage: Sendable, Equatable {
    /// The recipient's id as Meta echoes it.
    public let recipientID: String
    /// The message id (`mid`); the webhook echo of this message carries the same id. Empty for sender actions.
    public let messageID: String
    /// Rate-limit usage reported with the response, if any.
    public let usage: GraphUsage?

    /// Creates a result.
    /// - Parameters:
    ///   - recipientID: recipient id.
    ///   - messageID: message id.
    ///   - usage: usage headers.
    public init(recipientID: String, messageID: String, usage: GraphUsage?) {
        self.recipientID = recipientID
        self.messageID = messageID
        self.usage = usage
    }
}

/// A sender action for the Send API.
public enum SenderAction: String, Sendable, CaseIterable {
    /// Show the typing indicator.
    case typingOn = "typing_on"
    /// Hide the typing indicator.
    case typingOff = "typing_off"
    /// Mark the customer's last message as seen.
    case markSeen = "mark_seen"
}
