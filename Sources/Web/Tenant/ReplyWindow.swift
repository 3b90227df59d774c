public import Foundation

/// Where a conversation stands in Meta's messaging window, from the customer's last message:
/// a normal reply within 24 hours, a human agent's reply tagged `HUMAN_AGENT` up to 7 days, nothing after.
public enum ReplyWindow: String, Sendable, Equatable {
    /// Within 24 hours of the customer's last message: any reply, untagged.
    case standard
    /// Between 24 hours and 7 days: only a person's reply, sent with the `HUMAN_AGENT` tag.
    case humanAgent = "human_agent"
    /// More than 7 days: Meta refuses every reply until the customer writes again.
    case closed
    /// The customer never wrote: nothing may be sent.
    case noCustomerMessage = "no_customer_message"

    /// 24 hours, in seconds.
    public static let standardSeconds: TimeInterval = 24 * 3_600
    /// 7 days, in seconds.
    public static let humanAgentSeconds: TimeInterval = 7 * 86_400

    /// The window at `now` for a conversation whose customer last wrote at `lastCustomerMessage`.
    /// - Parameters:
    ///   - lastCustomerMessage: the customer's last message time, if any.
    ///   - now: the current time.
    /// - Returns: the window.
    public static func at(lastCustomerMessage: Date?, now: Date) -> ReplyWindow {
        guard let lastCustomerMessage else { return .noCustomerMessage }
        let age = now.timeIntervalSince(lastCustomerMessage)
        if age <= standardSeconds { return .standard }
        if age <= humanAgentSeconds { return .humanAgent }
        return .closed
    }

    /// Whether a person may reply now.
    public var allowsHumanReply: Bool { self == .standard || self == .humanAgent }

    /// A sentence for the inbox explaining the window.
    public var explanation: String {
        switch self {
        case .standard: "The customer wrote within the last 24 hours: you can reply."
        case .humanAgent:
            "The customer's last message is more than 24 hours old: your reply is sent as a human agent's "
                + "(HUMAN_AGENT tag), possible up to 7 days after it."
        case .closed:
            "The customer's last message is more than 7 days old: Meta does not allow a reply until they write again."
        case .noCustomerMessage: "The customer has not written yet: nothing can be sent."
        }
    }
}
