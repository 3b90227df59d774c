/// What process-message did with one event (returned for tests and logs; the job succeeds with any of these).
public enum ProcessOutcome: Sendable, Equatable {
    /// A reply was sent (all its parts).
    case replied(MessagingMetrics.ReplyKind, parts: Int)
    /// The event was stored (where it carries something to store) and got no reply.
    case notAnswered(MessagingMetrics.SkipReason)
    /// An echo of a reply this relay sent.
    case ownEcho
    /// An echo of a message a person sent from the Instagram app: the conversation is now taken over.
    case humanTookOver
    /// The customer unsent a message; it is marked deleted.
    case deleted
    /// A previous run already sent this reply; nothing was sent again.
    case alreadyReplied
    /// A previous run recorded the send intent but no outcome (it died between claiming and recording), and the
    /// platform refused the delivery lookup (a permission the app lacks): the reply may or may not have gone out,
    /// and is not sent again.
    case sendInDoubt
    /// A previous run died before recording its send; the delivery lookup found every part it had not recorded
    /// (`parts` of them) in the conversation: they are marked sent and nothing was sent again.
    case resolvedByLookup(parts: Int)
    /// A previous run died before recording its send; the delivery lookup did not find `parts` parts, which were
    /// sent now (once: this run holds their claim).
    case resentAfterLookup(parts: Int)
    /// The send failed for good and was recorded (token invalid, outside the window, other permanent errors).
    case sendFailed(MessagingMetrics.FailureClass)
}
