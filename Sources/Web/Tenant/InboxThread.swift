import Foundation
public import Store

/// One conversation as the inbox shows it: the customer, the messages (oldest first) and the reply window.
public struct InboxThread: Sendable, Equatable {
    /// The conversation (takeover state included).
    public var conversation: Conversation
    /// The customer.
    public var customer: PlatformUser
    /// The latest messages, oldest first.
    public var messages: [Message]
    /// Meta's window for a reply now.
    public var window: ReplyWindow

    /// Creates a thread.
    /// - Parameters:
    ///   - conversation: the conversation.
    ///   - customer: the customer.
    ///   - messages: the messages, oldest first.
    ///   - window: the reply window.
    public init(conversation: Conversation, customer: PlatformUser, messages: [Message], window: ReplyWindow) {
        self.conversation = conversation
        self.customer = customer
        self.messages = messages
        self.window = window
    }
}
