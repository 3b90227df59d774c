import Foundation
import Synchronization

/// Everything the sandbox remembers: issued tokens and codes, faults, recordings. Thread-safe (one `Mutex`).
final class SandboxState: Sendable {
    struct PendingCode: Sendable {
        var userID: String
        var username: String
        var permissions: String
        var redirectURI: String
        var issuedAtMs: Int64
    }

    struct Storage: Sendable {
        var faults: SandboxFaults
        var oauth: OAuthBehaviour
        var tokens: [String: IssuedToken] = [:]
        var codes: [String: PendingCode] = [:]
        var subscriptions: [String: [String]] = [:]
        var sent: RingBuffer<SentRecord>
        var llmCalls: RingBuffer<LLMCallRecord>
        var messageCounter = 0
        var completionCounter = 0
    }

    let configuration: SandboxConfiguration
    private let storage: Mutex<Storage>
    /// When each account's recent Conversations API calls were admitted, epoch ms (see `SandboxState+Conversations`).
    let conversationCalls = Mutex<[String: [Int64]]>([:])

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        storage = Mutex(
            Storage(
                faults: configuration.faults,
                oauth: OAuthBehaviour(),
                sent: RingBuffer(capacity: configuration.recordCapacity),
                llmCalls: RingBuffer(capacity: configuration.recordCapacity)
            )
        )
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A short, non-reversible fingerprint of a secret (FNV-1a 64, 12 hex digits).
    static func fingerprint(_ secret: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in secret.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "tok_" + String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(12))
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// Letters and digits, uniformly drawn. Each system random word gives up to ten 6-bit draws (62 and 63
    /// are drawn again) instead of one `getrandom(2)` call per character: the refresh route issues a token
    /// per request, and the per-character calls were 15 % of the sandbox's CPU in `scripts/bench lifecycle`.
    static func randomString(_ length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        var word: UInt64 = 0
        var bitsLeft = 0
        while bytes.count < length {
            if bitsLeft < 6 {
                word = generator.next()
                bitsLeft = 64
            }
            let draw = Int(word & 63)
            word >>= 6
            bitsLeft -= 6
            if draw < alphabet.count { bytes.append(alphabet[draw]) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Faults

    var faults: SandboxFaults {
        get { storage.withLock { $0.faults } }
        set { storage.withLock { $0.faults = newValue } }
    }

    /// Draws the delay and the error (if any) for one call to `route` of `api` (`graph` or `llm`).
    func drawFault(llm: Bool, route: String) -> (delayMs: Int, error: FaultRule?) {
        storage.withLock { storage in
            var rules = llm ? storage.faults.llm : storage.faults.graph
            var delay = (llm ? storage.faults.llmLatency : storage.faults.graphLatency)?.draw() ?? 0
            var chosen: FaultRule?
            var index = 0
            while index < rules.count {
                let rule = rules[index]
                guard rule.matches(route: route), Double.random(in: 0..<1) < (rule.probability ?? 1) else {
                    index += 1
                    continue
                }
                delay += rule.latency?.draw() ?? 0
                if let times = rule.times {
                    if times <= 1 {
                        rules.remove(at: index)
                    } else {
                        rules[index].times = times - 1
                        index += 1
                    }
                } else {
                    index += 1
                }
                if rule.isError {
                    chosen = rule
                    break
                }
            }
            if llm { storage.faults.llm = rules } else { storage.faults.graph = rules }
            return (delay, chosen)
        }
    }

    // MARK: OAuth

    var oauthBehaviour: OAuthBehaviour {
        get { storage.withLock { $0.oauth } }
        set { storage.withLock { $0.oauth = newValue } }
    }

    /// Issues an authorization code for the next login; nil when logins are configured to be denied.
    func issueCode(redirectURI: String, userID: String? = nil) -> String? {
        storage.withLock { storage in
            if storage.oauth.deny ?? configuration.deniesOAuth { return nil }
            let code = "AQ" + Self.randomString(30)
            storage.codes[code] = PendingCode(
                userID: userID ?? storage.oauth.userID ?? configuration.oauthUserID,
                username: storage.oauth.username ?? configuration.oauthUsername,
                permissions: storage.oauth.permissions ?? configuration.oauthPermissions,
                redirectURI: redirectURI,
                issuedAtMs: Self.nowMs()
            )
            return code
        }
    }

    /// Consumes a code (single use, valid one hour, redirect URI must match when given).
    func redeemCode(_ code: String, redirectURI: String?) -> PendingCode? {
        storage.withLock { storage in
            guard let pending = storage.codes.removeValue(forKey: code) else { return nil }
            guard Self.nowMs() - pending.issuedAtMs < 3_600_000 else { return nil }
            if let redirectURI, redirectURI != pending.redirectURI { return nil }
            return pending
        }
    }

    // MARK: Tokens

    /// Issues a token of `kind` for `userID`, valid for `lifetimeSeconds` (nil: no expiry).
    func issueToken(
        kind: IssuedToken.Kind, userID: String, username: String, permissions: String, lifetimeSeconds: Int?
    ) -> String {
        let prefix: String
        switch kind {
        case .instagramShortLived, .instagramLongLived, .prefixed: prefix = "IGAA"
        case .facebookUser, .facebookLongLivedUser, .facebookPage: prefix = "EAAB"
        }
        let token = prefix + Self.randomString(48)
        let expires = lifetimeSeconds.map { Self.nowMs() + Int64($0) * 1000 }
        let issued = IssuedToken(
            kind: kind, userID: userID, username: username, permissions: permissions, expiresAtMs: expires)
        storage.withLock { $0.tokens[token] = issued }
        return token
    }

    /// Registers an externally chosen token (control API), e.g. to seed a demo tenant.
    func register(token: String, as issued: IssuedToken) {
        storage.withLock { $0.tokens[token] = issued }
    }

    /// Expires a token now, so its next use gets error 190/463.
    func expire(token: String) -> Bool {
        storage.withLock { storage in
            if storage.tokens[token] != nil {
                storage.tokens[token]?.expiresAtMs = 0
                return true
            }
            guard let prefix = configuration.acceptedTokenPrefix, token.hasPrefix(prefix) else { return false }
            storage.tokens[token] = IssuedToken(
                kind: .prefixed, userID: "", username: "", permissions: "", expiresAtMs: 0)
            return true
        }
    }

    func check(token: String?) -> TokenCheck {
        guard let token, !token.isEmpty else { return .missing }
        let known = storage.withLock { $0.tokens[token] }
        if let known {
            if let expires = known.expiresAtMs, expires <= Self.nowMs() { return .expired }
            return .valid(known)
        }
        if let prefix = configuration.acceptedTokenPrefix, token.hasPrefix(prefix) {
            return .valid(
                IssuedToken(
                    kind: .prefixed, userID: "", username: "", permissions: configuration.oauthPermissions,
                    expiresAtMs: nil))
        }
        return .invalid
    }

    // MARK: Subscriptions

    func setSubscription(account: String, fields: [String]?) {
        storage.withLock { $0.subscriptions[account] = fields }
    }

    func subscription(account: String) -> [String]? {
        storage.withLock { $0.subscriptions[account] }
    }

    // MARK: Recording

    /// Distinguishes this sandbox process's ids from an earlier run's.
    static let runID = String(UInt64.random(in: 0...UInt64.max), radix: 36)

    func nextMessageID() -> String {
        let number = storage.withLock { storage in
            storage.messageCounter += 1
            return storage.messageCounter
        }
        // Meta's message ids are unique forever; a per-process run id keeps ours unique across sandbox restarts.
        return "aWdfZAG1faXRlbTo\(Self.runID)_\(number)"
    }

    func nextCompletionID() -> String {
        let number = storage.withLock { storage in
            storage.completionCounter += 1
            return storage.completionCounter
        }
        return "chatcmpl-sandbox\(number)"
    }

    func record(sent record: SentRecord) {
        storage.withLock { storage in
            var record = record
            record.seq = storage.sent.nextSequence
            storage.sent.append(record)
        }
    }

    func record(llmCall record: LLMCallRecord) {
        storage.withLock { storage in
            var record = record
            record.seq = storage.llmCalls.nextSequence
            storage.llmCalls.append(record)
        }
    }

    var sentRecords: [SentRecord] { storage.withLock { $0.sent.elements } }
    var llmCallRecords: [LLMCallRecord] { storage.withLock { $0.llmCalls.elements } }

    /// Clears recordings and codes, restores start-up faults and OAuth behaviour; issued tokens stay valid.
    func reset() {
        storage.withLock { storage in
            storage.faults = configuration.faults
            storage.oauth = OAuthBehaviour()
            storage.codes = [:]
            storage.sent.removeAll()
            storage.llmCalls.removeAll()
        }
        conversationCalls.withLock { $0 = [:] }
    }
}
