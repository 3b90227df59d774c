import CryptoCore
public import Foundation

/// Issues and verifies signed, expiring OAuth `state` values (HMAC-SHA256 with a key from the settings).
///
/// Verification checks the signature in constant time, then the age; single use is enforced separately by
/// ``OAuthStateStore``. Thread-safe (a value type holding an immutable key).
///
/// ```swift
/// let signer = try OAuthStateSigner(key: settingsKeyBytes)
/// let (token, state) = try signer.issue(tenantID: "42", platform: .instagram)
/// let verified = try signer.verify(token)   // throws AccountsError .invalidState / .expiredState
/// ```
public struct OAuthStateSigner: Sendable {
    private let key: [UInt8]
    /// How long a state stays valid; 10 minutes by default.
    public let lifetimeSeconds: Int64

    /// Creates a signer.
    /// - Parameters:
    ///   - key: the HMAC key, at least 32 bytes (never logged).
    ///   - lifetimeSeconds: the validity of a state, default 600.
    /// - Throws: ``AccountsError`` `.misconfigured` when the key is shorter than 32 bytes.
    public init(key: [UInt8], lifetimeSeconds: Int64 = 600) throws {
        guard key.count >= 32 else {
            throw AccountsError(.misconfigured, message: "OAuth state key must be at least 32 bytes")
        }
        self.key = key
        self.lifetimeSeconds = lifetimeSeconds
    }

    /// Issues a fresh state for `tenantID`.
    /// - Parameters:
    ///   - tenantID: the tenant starting the login; must not contain a newline.
    ///   - platform: the login flow.
    ///   - now: the issue time (tests pass a fixed one).
    /// - Returns: the token to put in the authorize URL and its decoded content.
    /// - Throws: ``AccountsError`` `.invalidState` for an unusable tenant id; `CryptoError` when the CSPRNG fails.
    public func issue(tenantID: String, platform: ConnectPlatform, now: Date = Date()) throws -> (
        token: String, state: OAuthState
    ) {
        guard !tenantID.isEmpty, !tenantID.contains("\n") else {
            throw AccountsError(.invalidState, message: "tenant id is empty or contains a newline")
        }
        let nonce = Base64.encodeURLSafe(try SecureRandom.bytes(count: 16))
        let state = OAuthState(
            tenantID: tenantID, platform: platform, nonce: nonce, issuedAt: Int64(now.timeIntervalSince1970))
        return (try sign(state), state)
    }

    /// The wire form of `state`.
    /// - Throws: `CryptoError` when HMAC fails.
    public func sign(_ state: OAuthState) throws -> String {
        let payload = state.payload
        let mac = try HMACSHA256.authenticationCode(for: payload, using: key)
        return Base64.encodeURLSafe(payload) + "." + Base64.encodeURLSafe(mac)
    }

    /// Verifies a state's signature and age.
    /// - Parameters:
    ///   - token: the `state` query parameter as received.
    ///   - now: the current time.
    /// - Returns: the verified content.
    /// - Throws: ``AccountsError`` `.invalidState` (malformed or forged) or `.expiredState`.
    public func verify(_ token: String, now: Date = Date()) throws -> OAuthState {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, token.utf8.count <= 1024,
            let payload = Base64.decodeURLSafe(parts[0]), let mac = Base64.decodeURLSafe(parts[1])
        else { throw AccountsError(.invalidState, message: "state is malformed") }
        guard HMACSHA256.isValidAuthenticationCode(mac, for: payload, using: key) else {
            throw AccountsError(.invalidState, message: "state signature does not match")
        }
        guard let state = OAuthState(payload: payload) else {
            throw AccountsError(.invalidState, message: "state payload is malformed")
        }
        let age = Int64(now.timeIntervalSince1970) - state.issuedAt
        guard age <= lifetimeSeconds, age >= -60 else {
            throw AccountsError(.expiredState, message: "state is \(age) s old (limit \(lifetimeSeconds) s)")
        }
        return state
    }
}
