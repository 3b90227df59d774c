import CryptoCore

/// The per-session CSRF token: random, stored with the session, echoed by every POST form in the hidden
/// field ``fieldName`` (or, for scripts, the header ``headerName``) and compared in constant time.
///
/// ``SessionGuard`` checks it on every unsafe request, so a handler behind the guard never sees a POST
/// without a valid token. In a template: `<input type="hidden" name="_csrf" value="{{csrf}}">`.
public enum CSRFToken {
    /// The form field that carries the token.
    public static let fieldName = "_csrf"
    /// The header that carries the token when there is no form (fetch from the same origin).
    public static let headerName = "X-CSRF-Token"

    /// A new random token (256 bits, base64url).
    /// - Returns: The token.
    /// - Throws: `CryptoError` if the random source fails.
    public static func make() throws -> String { Base64.encodeURLSafe(try SecureRandom.bytes(count: 32)) }

    /// Whether `submitted` is the session's token, compared in constant time.
    /// - Parameters:
    ///   - submitted: The value from the form or header; `nil` or empty is never valid.
    ///   - session: The request's session.
    /// - Returns: `true` only for an exact match.
    public static func isValid(_ submitted: String?, for session: WebSession) -> Bool {
        guard let submitted, !submitted.isEmpty, !session.csrfToken.isEmpty else { return false }
        return ConstantTime.equals(submitted, session.csrfToken)
    }
}
