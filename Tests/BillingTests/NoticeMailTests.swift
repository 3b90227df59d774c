import Foundation
import HTTP
import Jobs
import Store
import TestSupport
import Testing

@testable import Billing

#if canImport(Glibc)
    import Glibc
#endif

/// A real SMTP sink: `python3 -m aiosmtpd` with the Mailbox handler, one maildir file per message.
final class SMTPSink: @unchecked Sendable {
    // Invariant: fields are set in init and only read afterwards.
    let port: Int
    let directory: URL
    private let process: Process

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = Int.random(in: 20_000...29_999)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox",
            directory.appendingPathComponent("mail").path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("mail/new").path),
                Self.isListening(port)
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func isListening(_ port: Int) -> Bool {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = ["-c", "exec 3<>/dev/tcp/127.0.0.1/\(port)"]
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        return ChildExit.wait(for: check) == 0
    }

    /// The messages received so far.
    func messages() -> [String] {
        let new = directory.appendingPathComponent("mail/new")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []
        return files.compactMap { try? String(contentsOf: new.appendingPathComponent($0), encoding: .utf8) }
    }

    func stop() {
        ChildExit.stop(process, signal: SIGKILL)  // aiosmtpd ignores SIGTERM while serving
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite struct NoticeMailTests {
    @Test("80 % and 100 % notices: recorded once each per period and mailed once each to a real SMTP sink")
    func usageNotices() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await BillingWorld.with { world in
            let http = try HTTPClient(logger: world.logger)
            let mailer = NoticeMailer(
                configuration: .init(
                    smtp: SMTPConfiguration(url: "smtp://127.0.0.1:\(sink.port)", security: .none),
                    from: "relay@woodstock.test"),
                http: http, repositories: world.repositories, pool: world.pool, logger: world.logger)
            var registry = JobRegistry()
            BillingJobs.register(
                in: &registry, folder: world.folder, exporter: BillingExporter(pool: world.pool), mailer: mailer,
                exportDirectory: FileManager.default.temporaryDirectory.path)
            let tenant = try await world.tenant(.starter, name: "Mailed Shop", email: "owner@shop.test")
            let period = MeterPeriod(containing: Date())

            try await world.count(tenant, 800, limit: nil)
            for _ in 0..<2 { try await world.folder.run() }
            #expect(try await world.runWorker(registry) { sink.messages().count >= 1 })
            try await world.count(tenant, 200, limit: nil)
            for _ in 0..<3 { try await world.folder.run() }
            #expect(try await world.runWorker(registry) { sink.messages().count >= 2 })
            // Another run of everything sends nothing more.
            try await world.folder.run()
            #expect(try await world.runWorker(registry) { try await world.isQueueIdle() })
            let messages = sink.messages()
            #expect(messages.count == 2)
            #expect(messages.filter { $0.contains("80 %") }.count == 1)
            #expect(messages.filter { $0.contains("used all") }.count == 1)
            #expect(messages.allSatisfy { $0.contains("owner@shop.test") && $0.contains(period.description) })
            let notices = try await world.repositories.notices.list(tenantID: tenant.id)
            #expect(Set(notices.map(\.kind)) == ["usage_80", "usage_100"])
            #expect(notices.count == 2)
            let again = try await mailer.send(tenantID: tenant.id, kind: .usage80, period: period.description)
            #expect(again == .alreadySent)
            await http.shutdown()
        }
    }
}
