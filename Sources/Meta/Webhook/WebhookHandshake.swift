import CryptoCore

/// Meta's webhook subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`.
public enum WebhookHandshake {
    /// The challenge to echo (200, `text/plain`), or nil when the request must get 403.
    /// - Parameters:
    ///   - mode: `hub.mode`; must be `subscribe`.
    ///   - verifyToken: `hub.verify_token`; compared with `expectedToken` in constant time.
    ///   - challenge: `hub.challenge`; must be 1–128 characters of digits, letters, `-` or `_` (Meta sends an
    ///     integer), so nothing else is ever echoed.
    ///   - expectedToken: the configured verify token; an empty one accepts nothing.
    public static func challenge(mode: String?, verifyToken: String?, challenge: String?, expectedToken: String)
        -> String?
    {
        guard mode == "subscribe", !expectedToken.isEmpty, let verifyToken,
            ConstantTime.equals(verifyToken, expectedToken),
            let challenge, (1...128).contains(challenge.utf8.count),
            challenge.utf8.allSatisfy({ byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45
                    || byte == 95
            })
        else { return nil }
        return challenge
    }
}
