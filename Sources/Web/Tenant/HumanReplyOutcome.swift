/// What happened to a reply a person wrote in the inbox.
public enum HumanReplyOutcome: Sendable, Equatable {
    /// Sent in `parts` messages (tagged `HUMAN_AGENT` when `isTagged`), stored as a human reply and audited.
    case sent(parts: Int, isTagged: Bool)
    /// Not sent; `reason` says why in words a tenant understands.
    case refused(Refusal)

    /// Why a human reply was not sent.
    public struct Refusal: Sendable, Equatable {
        /// A stable code (`not_taken_over`, `window_closed`, `no_customer_message`, `empty`, `too_long`,
        /// `no_token`, `needs_reauth`, `meta_refused`, `meta_unavailable`).
        public var code: String
        /// A sentence for the page.
        public var message: String

        /// Creates a refusal.
        /// - Parameters:
        ///   - code: the stable code.
        ///   - message: the sentence shown.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }
}
