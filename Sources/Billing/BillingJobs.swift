import Foundation
public import Jobs
import Logging
import Store

/// Registers the Billing job handlers: `meter-usage`, `export-billing` and `send-notice`.
///
/// The composition root calls it once while building the worker's registry:
/// ```swift
/// BillingJobs.register(in: &registry, folder: folder, exporter: exporter, mailer: mailer, exportDirectory: "var/exports")
/// ```
public enum BillingJobs {
    /// The payload of `meter-usage` (the crontab sends `{}`).
    public struct MeterPayload: Codable, Sendable, Hashable {
        /// Creates a payload.
        public init() {}
    }

    /// The payload of `export-billing`.
    public struct ExportPayload: Codable, Sendable, Hashable {
        /// `YYYY-MM`, `previous` or `current`.
        public var period: String

        /// Creates a payload.
        public init(period: String) { self.period = period }
    }

    /// Registers the three handlers.
    /// - Parameters:
    ///   - registry: the worker's registry.
    ///   - folder: folds counters into the ledger and raises usage notices.
    ///   - exporter: renders the billing CSV.
    ///   - mailer: sends notices.
    ///   - exportDirectory: where `billing-YYYY-MM.csv` and its `.sha256` are written (created if missing).
    public static func register(
        in registry: inout JobRegistry, folder: UsageFolder, exporter: BillingExporter, mailer: NoticeMailer,
        exportDirectory: String
    ) {
        registry.register("meter-usage", payload: MeterPayload.self) { _, _ in
            try await folder.run()
        }
        registry.register("export-billing", payload: ExportPayload.self) { payload, context in
            let period = try MeterPeriod(parsing: payload.period)
            let export = try await exporter.export(period: period)
            try FileManager.default.createDirectory(atPath: exportDirectory, withIntermediateDirectories: true)
            let path = (exportDirectory as NSString).appendingPathComponent("billing-\(period).csv")
            try export.write(to: path)
            context.logger.info(
                "billing exported", metadata: ["billing.period": "\(period)", "billing.rows": "\(export.rows.count)"])
        }
        registry.register("send-notice", payload: NoticeRaiser.Payload.self) { payload, context in
            guard let tenantID = TenantID(payload.client_id), let kind = NoticeKind(rawValue: payload.kind) else {
                throw JobError(.payloadEncoding, message: "send-notice: unknown tenant id or kind")
            }
            let result = try await mailer.send(tenantID: tenantID, kind: kind, period: payload.period)
            context.logger.info(
                "notice", metadata: ["notice.kind": "\(kind.rawValue)", "notice.result": "\(result.rawValue)"])
        }
    }
}
