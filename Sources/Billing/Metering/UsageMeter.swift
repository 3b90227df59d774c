public import Foundation
public import Redis
public import Store

/// Atomic per-tenant message metering in Redis: one Lua call checks the limit and counts.
///
/// Each tenant has one hash per UTC month, `<prefix>:{<tenant>}:<YYYY-MM>`, with the fields `answered`,
/// `denied` and `refunded`; the hash tag keeps every key of a tenant in one cluster slot. A tenant at its
/// limit never gets one reply more under any concurrency, because the check and the increment are one
/// script. Unlimited tiers are counted too. A decision is remembered per message id for
/// ``decisionTTL``, so a re-run of the same job is not counted twice.
///
/// Thread-safe (a value type over a thread-safe ``RedisClient``).
///
/// ```swift
/// let meter = UsageMeter(redis: redis)
/// let decision = try await meter.checkAndCount(tenantID: "42", tier: .starter, messageID: mid)
/// if decision.crossed(percent: 80) { /* raise the 80 % notice */ }
/// guard decision.isAllowed else { return }  // stored, no AI reply
/// ```
public struct UsageMeter: Sendable {
    /// The percentages of the limit whose crossing is reported in ``MeterDecision/crossedPercentages``.
    public static let noticeThresholds = [80, 100]

    /// The client the scripts run on.
    public let redis: RedisClient
    /// The key prefix (default `woodstock:usage`).
    public let keyPrefix: String
    /// How long a per-message decision is remembered (default 48 h; longer than any retry schedule).
    public let decisionTTL: Duration
    /// How long a period's hash outlives the period (default 93 days, so `meter-usage` can still fold it).
    public let retention: Duration

    /// Creates a meter.
    /// - Parameters:
    ///   - redis: The Redis client.
    ///   - keyPrefix: Prefix of every key (tests use a unique one).
    ///   - decisionTTL: How long a per-message decision is remembered.
    ///   - retention: How long a period's counters are kept after the period ends.
    public init(
        redis: RedisClient, keyPrefix: String = "woodstock:usage", decisionTTL: Duration = .seconds(172_800),
        retention: Duration = .seconds(93 * 86_400)
    ) {
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.decisionTTL = decisionTTL
        self.retention = retention
    }

    /// The key of a tenant's counters for a period.
    /// - Parameters:
    ///   - tenantID: The tenant (must not contain `{` or `}`).
    ///   - period: The period.
    /// - Returns: `<prefix>:{<tenant>}:<YYYY-MM>`.
    public func counterKey(tenantID: String, period: MeterPeriod) -> String {
        "\(keyPrefix):{\(tenantID)}:\(period)"
    }

    /// The key that remembers the decision taken for one message.
    func decisionKey(tenantID: String, messageID: String) -> String {
        "\(keyPrefix):{\(tenantID)}:mid:\(messageID)"
    }

    /// Checks the tenant's tier limit and counts the message, atomically.
    /// - Parameters:
    ///   - tenantID: The tenant.
    ///   - tier: Its tier; the limit is ``Tier/monthlyMessageLimit`` (`nil`: unlimited, still counted).
    ///   - messageID: The inbound message id (`mid`); a second call with the same id repeats the first
    ///     decision without counting. `nil` counts unconditionally.
    ///   - date: When the message is charged (default now); picks the UTC month.
    /// - Returns: Allowed or denied, the count after, and the thresholds this call crossed.
    /// - Throws: ``RedisError`` when Redis fails or answers unexpectedly.
    public func checkAndCount(
        tenantID: String, tier: Tier, messageID: String?, at date: Date = Date()
    ) async throws -> MeterDecision {
        try await checkAndCount(tenantID: tenantID, limit: tier.monthlyMessageLimit, messageID: messageID, at: date)
    }

    /// Checks an explicit limit and counts the message, atomically.
    /// - Parameters:
    ///   - tenantID: The tenant.
    ///   - limit: The most messages allowed in the period; `nil` for unlimited (still counted).
    ///   - messageID: The inbound message id, or `nil` (see ``checkAndCount(tenantID:tier:messageID:at:)``).
    ///   - date: When the message is charged (default now).
    /// - Returns: The decision.
    /// - Throws: ``RedisError`` when Redis fails or answers unexpectedly.
    public func checkAndCount(
        tenantID: String, limit: Int?, messageID: String?, at date: Date = Date()
    ) async throws -> MeterDecision {
        let period = MeterPeriod(containing: date)
        let counter = counterKey(tenantID: tenantID, period: period)
        let decision = messageID.map { decisionKey(tenantID: tenantID, messageID: $0) } ?? counter
        let remember = messageID == nil ? 0 : max(1, Int(decisionTTL.components.seconds))
        let arguments: [any RedisArgumentConvertible] =
            [limit ?? -1, expireAt(period), remember, period.description] + Self.noticeThresholds
        let reply = try await redis.run(Self.checkAndCountScript, keys: [counter, decision], arguments: arguments)
        guard let fields = reply.array, fields.count >= 4, let allowed = fields[0].int, let count = fields[1].int,
            let replay = fields[2].int, let periodText = fields[3].string, let charged = MeterPeriod(periodText)
        else {
            throw RedisError(.unexpectedReply, message: "usage meter: malformed check-and-count reply")
        }
        return MeterDecision(
            isAllowed: allowed == 1, count: count, limit: limit, period: charged,
            crossedPercentages: fields.dropFirst(4).compactMap(\.int), isReplay: replay == 1)
    }

    /// Gives back the count of a message that was allowed but whose reply was never sent
    /// (e.g. the token was revoked or the messaging window had closed).
    /// - Parameters:
    ///   - tenantID: The tenant.
    ///   - messageID: The message id the decision was taken for.
    ///   - period: The period that was charged (``MeterDecision/period``).
    /// - Returns: `true` when a count was given back; `false` when the message was not counted or already refunded.
    /// - Throws: ``RedisError`` when Redis fails.
    @discardableResult
    public func refund(tenantID: String, messageID: String, period: MeterPeriod) async throws -> Bool {
        let reply = try await redis.run(
            Self.refundScript,
            keys: [
                counterKey(tenantID: tenantID, period: period), decisionKey(tenantID: tenantID, messageID: messageID),
            ]
        )
        return reply.int == 1
    }

    /// Reads a tenant's counters for a period (zeros when nothing was counted).
    /// - Returns: The counters.
    /// - Throws: ``RedisError`` when Redis fails.
    public func usage(tenantID: String, period: MeterPeriod) async throws -> MeterUsage {
        let reply = try await redis.send(
            "HMGET", counterKey(tenantID: tenantID, period: period), "answered", "denied", "refunded")
        let values = (reply.array ?? []).map { $0.int ?? 0 }
        guard values.count == 3 else {
            throw RedisError(.unexpectedReply, message: "usage meter: malformed HMGET reply")
        }
        return MeterUsage(answered: values[0], denied: values[1], refunded: values[2])
    }

    /// Raises a period's answered count to at least `answered` (never lowers it), e.g. to rebuild the
    /// counters from the stored messages after Redis lost its data.
    /// - Returns: The answered count afterwards.
    /// - Throws: ``RedisError`` when Redis fails.
    @discardableResult
    public func restore(tenantID: String, period: MeterPeriod, answered: Int) async throws -> Int {
        let reply = try await redis.run(
            Self.restoreScript, keys: [counterKey(tenantID: tenantID, period: period)],
            arguments: [answered, expireAt(period)])
        guard let count = reply.int else {
            throw RedisError(.unexpectedReply, message: "usage meter: malformed restore reply")
        }
        return count
    }

    /// When a period's hash expires: `retention` after the period ends, and never sooner than a day from now
    /// (a late message charged to a long-closed period must not delete its hash at once).
    private func expireAt(_ period: MeterPeriod) -> Int {
        let afterPeriod = Int(period.end.timeIntervalSince1970) + Int(retention.components.seconds)
        return max(afterPeriod, Int(Date().timeIntervalSince1970) + 86_400)
    }
}
