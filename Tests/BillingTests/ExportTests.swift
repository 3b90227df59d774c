import Foundation
import Postgres
import Store
import TestSupport
import Testing

@testable import Billing

/// `export-billing` from the real ledger.
@Suite struct ExportTests {
    @Test("one row per tenant, checked field by field; same bytes twice; sha256sum accepts the sidecar")
    func export() async throws {
        try await BillingWorld.with { world in
            let period = try MeterPeriod(parsing: "previous")
            let starter = try await world.tenant(.starter, name: "Riga Shop, Ltd")
            let professional = try await world.tenant(.professional, name: "Pro")
            let enterprise = try await world.tenant(.enterprise, name: "Big")
            try await world.pool.query(
                "UPDATE client_integrations SET created_at = \(period.start.addingTimeInterval(-86_400))")
            try await world.repositories.usage.add(
                answered: 1_000, overLimit: 17, tenantID: starter.id, period: period.description)
            try await world.repositories.usage.add(answered: 250, tenantID: professional.id, period: period.description)
            let exporter = BillingExporter(pool: world.pool)
            let export = try await exporter.export(period: period)
            let lines = String(decoding: export.csv, as: UTF8.self).components(separatedBy: "\r\n").dropLast()
            #expect(lines.count == 4)
            #expect(lines.first == BillingCSV.columns.joined(separator: ","))
            let expected: [TenantID: [String]] = [
                starter.id: [
                    starter.id.description, "\"Riga Shop, Ltd\"", "starter", "99.00", "1000", "1000", "17",
                    period.description,
                ],
                professional.id: [
                    professional.id.description, "Pro", "professional", "299.00", "250", "10000", "0",
                    period.description,
                ],
                enterprise.id: [
                    enterprise.id.description, "Big", "enterprise", "899.00", "0", "unlimited", "0",
                    period.description,
                ],
            ]
            var seen = 0
            for line in lines.dropFirst() {
                let id = try #require(TenantID(String(line.prefix(36))))
                let fields = try #require(expected[id])
                #expect(line == fields.joined(separator: ","))
                seen += 1
            }
            #expect(seen == 3)
            #expect(export.rows.map(\.tenantID) == export.rows.map(\.tenantID).sorted())

            let again = try await exporter.export(period: period)
            #expect(again.csv == export.csv)
            #expect(again.sha256 == export.sha256)

            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try export.write(to: directory.appendingPathComponent("billing.csv").path)
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            check.arguments = ["--check", "--status", "billing.csv.sha256"]
            check.currentDirectoryURL = directory
            try check.run()
            #expect(ChildExit.wait(for: check) == 0)
        }
    }
}
