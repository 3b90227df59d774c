import Dispatch
import Foundation
import HummingbirdTesting
import Jobs
import Store
import TestSupport
import Testing
import Web

/// Headless Chromium drives the dashboard over a real HTTP port (scripts/lib/admin-browser.mjs): sign in with
/// a wrong and then the right password, open every page at desktop and phone width (PNGs in
/// var/artifacts/admin-dashboard/), and retry a dead job with the page's own button.
@Suite struct AdminBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Report: Decodable {
        struct Step: Decodable {
            let name: String
            let ok: Bool
            let detail: String
        }
        struct Page: Decodable {
            let path: String
            let text: String
        }
        let ok: Bool
        let error: String?
        let steps: [Step]
        let pages: [String: Page]
        let screenshots: [String]
    }

    @Test("Chromium signs in, sees every page with its data, and retries a dead job")
    func browse() async throws {
        let crontab = try Crontab(parsing: "*/15 * * * * woodstock enqueue refresh-tokens\n")
        try await AdminWorld.with(crontab: crontab, live: true) { world, client in
            let tenant = try await world.repositories.tenants.create(
                name: "Browser Bakery", tier: .starter, actor: "test")
            _ = try await world.repositories.integrations.connect(
                tenantID: tenant.id, platform: .instagram, accountID: "17841400000000001", accountName: "bakery",
                actor: "test")
            try await AdminDeadJobs.make(
                count: 3, definitions: [JobDefinition(name: "doomed", queue: world.queue, maxAttempts: 1)],
                world: world)
            let port = try #require(client.port)
            let output = Self.root.appendingPathComponent("var/artifacts/admin-dashboard").path
            let report = try await Self.runBrowser(
                base: "http://127.0.0.1:\(port)", queue: world.queue, outDir: output)
            #expect(report.ok, "\(report.error ?? "")")
            #expect(report.steps.map(\.name).count == 4)
            #expect(report.steps.allSatisfy { $0.ok })
            #expect(report.pages["queues"]?.text.contains(world.queue) == true)
            #expect(report.pages["dead"]?.text.contains("always fails") == true)
            #expect(report.pages["tenants"]?.text.contains("Browser Bakery") == true)
            #expect(report.pages["tenants"]?.text.contains("@bakery") == true)
            #expect(report.pages["schedule"]?.text.contains("refresh-tokens") == true)
            #expect(report.pages["audit"]?.text.contains("admin.login_failed") == true)
            #expect(report.pages["audit-filtered"]?.text.contains("admin.dead.retried") == true)
            #expect(report.screenshots.count == 12)
            for file in report.screenshots {
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                #expect(size > 5_000, "\(file) is a real PNG")
            }
            let stats = try #require(try await JobQueueAdmin(redis: world.redis).stats(queues: [world.queue]).first)
            #expect(stats.dead == 2 && stats.depth == 1)
        }
    }

    static func runBrowser(base: String, queue: String, outDir: String) async throws -> Report {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        try #require(chromium != nil, "chromium is missing: apt-get install chromium")
        let arguments = [
            "node", "--experimental-websocket", "--no-warnings",
            root.appendingPathComponent("scripts/lib/admin-browser.mjs").path, base, AdminWorld.password, queue,
            outDir,
        ]
        let data = try await ChildExit.output(of: "/usr/bin/env", arguments)
        return try JSONDecoder().decode(Report.self, from: data)
    }
}
