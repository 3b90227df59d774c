import HTTP

/// Parses Meta webhook deliveries (`object: instagram` and `object: page`) into normalized events.
///
/// Lenient by design, as Meta's payloads vary: unknown fields and unknown attachment types are kept or
/// ignored, `entry[].changes[]` (dashboard test events) are counted and skipped, a malformed item is skipped.
/// Only a body that is not a JSON object is an error.
///
/// ```swift
/// let batch = try WebhookParser.parse(rawBody)      // after WebhookSignatureVerifier accepted rawBody
/// try await enqueuer.enqueueMessages(batch.events)
/// ```
///
/// Thread safety: stateless; call from anywhere.
public enum WebhookParser {
    /// Parses one delivery.
    /// - Parameter body: the raw request body.
    /// - Returns: every messaging event of every entry, in order.
    /// - Throws: `MetaError(.malformedPayload)` when the body is not a JSON object (the message never
    ///   includes the body).
    public static func parse(_ body: some Collection<UInt8>) throws -> WebhookBatch {
        guard let json = JSONBodyValue.parseWebhook(Array(body)), let raw = RawWebhook(json) else {
            throw MetaError(.malformedPayload, message: "webhook body is not a JSON object")
        }
        let object = raw.object ?? ""
        let platform = MessagingPlatform(webhookObject: object)
        var events: [WebhookEvent] = []
        var ignoredChanges = 0
        var skipped = 0
        for entry in raw.entry {
            ignoredChanges += entry.changeCount
            for item in entry.messaging {
                if let event = event(from: item, entry: entry, platform: platform) {
                    events.append(event)
                } else {
                    skipped += 1
                }
            }
        }
        return WebhookBatch(object: object, events: events, ignoredChanges: ignoredChanges, skippedItems: skipped)
    }

    /// Normalizes one `messaging[]` item; nil when it has no sender or recipient id.
    static func event(from item: RawMessaging, entry: RawEntry, platform: MessagingPlatform) -> WebhookEvent? {
        guard let sender = item.senderID, let recipient = item.recipientID else { return nil }
        let timestamp = item.timestamp ?? entry.time ?? 0
        let isEcho = item.message?.fields.bool("is_echo") ?? false
        var event = WebhookEvent(
            id: "", platform: platform, accountID: entry.id ?? (isEcho ? sender : recipient), senderID: sender,
            recipientID: recipient, timestampMs: timestamp, kind: .message)
        let fallbackID = { (kind: String) in "\(kind):\(sender):\(timestamp)" }
        if let message = item.message {
            let fields = message.fields
            event.mid = fields.string("mid")
            event.text = fields.string("text")
            event.attachments = message.attachments
            event.isEcho = isEcho
            event.isDeleted = fields.bool("is_deleted")
            event.isUnsupported = fields.bool("is_unsupported")
            event.quickReplyPayload = fields.object("quick_reply")?.string("payload")
            if let replyTo = fields.object("reply_to") {
                event.replyToMID = replyTo.string("mid")
                event.replyToStoryID = replyTo.object("story")?.string("id")
                event.replyToStoryURL = replyTo.object("story")?.string("url")
            }
            if let referral = fields.object("referral") { apply(referral, to: &event) }
            if let mid = event.mid {
                event.id = event.isDeleted ? "deleted:\(mid)" : mid
            } else {
                event.id = fallbackID("message")
            }
        } else if let reaction = item.reaction {
            event.kind = .reaction
            event.mid = reaction.string("mid")
            event.reactionAction = reaction.string("action") ?? "react"
            event.reaction = reaction.string("reaction") ?? reaction.string("emoji")
            event.id = "reaction:\(event.mid ?? sender):\(event.reactionAction ?? "react"):\(timestamp)"
        } else if let postback = item.postback {
            event.kind = .postback
            event.mid = postback.string("mid")
            event.postbackTitle = postback.string("title")
            event.postbackPayload = postback.string("payload")
            event.id = event.mid.map { "postback:\($0)" } ?? fallbackID("postback")
        } else if let read = item.read {
            event.kind = .read
            event.mid = read.string("mid")
            event.id = event.mid.map { "read:\($0)" } ?? "read:\(sender):\(read.string("watermark") ?? "\(timestamp)")"
        } else if let referral = item.referral {
            event.kind = .referral
            apply(referral, to: &event)
            event.id = fallbackID("referral")
        } else {
            let kind = item.otherKind ?? "unknown"
            event.kind = WebhookEventKind(rawValue: kind)
            event.id = fallbackID(kind)
        }
        return event
    }

    private static func apply(_ referral: RawObject, to event: inout WebhookEvent) {
        event.referralRef = referral.string("ref")
        event.referralSource = referral.string("source")
        event.referralAdID = referral.string("ad_id")
    }
}
