import Foundation
public import Jobs
import Logging
public import Postgres
import Store

/// Registers the Accounts job handlers: `refresh-tokens` (the sweep) and `refresh-token` (one integration).
///
/// The composition root calls it once while building the worker's registry:
/// ```swift
/// AccountsJobs.register(in: &registry, refresher: refresher, catalog: catalog)
/// ```
public enum AccountsJobs {
    /// The payload of `refresh-tokens`; the crontab may narrow the horizon.
    public struct SweepPayload: Codable, Sendable, Hashable {
        /// Overrides the policy's horizon, in hours.
        public var expiring_within_hours: Int?

        /// Creates a payload.
        public init(expiring_within_hours: Int? = nil) { self.expiring_within_hours = expiring_within_hours }
    }

    /// Registers `refresh-tokens` and `refresh-token`.
    /// - Parameters:
    ///   - registry: the worker's registry.
    ///   - refresher: does the work.
    ///   - catalog: gives `refresh-token`'s `max_attempts`, so the last failed attempt notifies the tenant.
    ///   - reportPool: when given, each sweep also publishes ``TokensReport`` as the `woodstock.tokens` gauge.
    public static func register(
        in registry: inout JobRegistry, refresher: TokenRefresher, catalog: JobCatalog,
        reportPool: PostgresPool? = nil
    ) {
        let maxAttempts = (try? catalog.definition(named: "refresh-token").maxAttempts) ?? 6
        registry.register("refresh-tokens", payload: SweepPayload.self) { payload, _ in
            var sweeper = refresher
            if let hours = payload.expiring_within_hours, hours > 0 {
                sweeper.policy.horizonSeconds = Int64(hours) * 3_600
            }
            _ = try await sweeper.sweep()
            if let reportPool { try await TokensReport.compute(pool: reportPool).publish() }
        }
        registry.register("refresh-token", payload: TokenRefresher.RefreshPayload.self) { payload, context in
            guard let tenantID = TenantID(payload.client_id), let uuid = UUID(uuidString: payload.integration_id)
            else { throw JobError(.payloadEncoding, message: "refresh-token: client_id/integration_id are not UUIDs") }
            let result = try await refresher.refresh(
                tenantID: tenantID, integrationID: IntegrationID(uuid), isFinalAttempt: context.attempt >= maxAttempts)
            context.logger.info("token refresh", metadata: ["tokens.result": "\(result.rawValue)"])
        }
    }
}
