public import Foundation

/// When a long-lived Instagram token is refreshed: valid, expiring within ``horizonSeconds`` and refreshed
/// (or issued) at least ``minimumAgeSeconds`` ago — Meta refuses refreshing tokens younger than 24 hours.
public struct RefreshPolicy: Sendable, Hashable {
    /// How far ahead of expiry the sweep picks a token; default 10 days.
    public var horizonSeconds: Int64
    /// The minimum age since the last refresh; default 24 hours (Meta's rule).
    public var minimumAgeSeconds: Int64
    /// The most integrations one sweep enqueues (the next sweep takes the rest); default 100,000.
    public var batchLimit: Int

    /// Creates a policy with the defaults above.
    public init(horizonSeconds: Int64 = 10 * 86_400, minimumAgeSeconds: Int64 = 86_400, batchLimit: Int = 100_000) {
        self.horizonSeconds = horizonSeconds
        self.minimumAgeSeconds = minimumAgeSeconds
        self.batchLimit = batchLimit
    }

    /// Whether a token with these dates is due for a refresh at `now`.
    /// - Parameters:
    ///   - expiresAt: the token's expiry (nil: never expires, e.g. a Page token).
    ///   - refreshedAt: when the token was issued or last refreshed.
    ///   - now: the current time.
    /// - Returns: `true` when the sweep should enqueue a refresh.
    public func isDue(expiresAt: Date?, refreshedAt: Date, now: Date) -> Bool {
        guard let expiresAt, expiresAt > now else { return false }
        return expiresAt.timeIntervalSince(now) <= Double(horizonSeconds)
            && now.timeIntervalSince(refreshedAt) >= Double(minimumAgeSeconds)
    }
}
