import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import TestSupport
import Testing
import Web

/// Headless Chromium against a live server: log in as a tenant, open the inbox, take a conversation over,
/// reply as a human, hand it back, and see a new customer message arrive live (SSE). Screenshots go to
/// `var/artifacts/` (phone-sized, 412×915).
@Suite struct TenantBrowserTests {
    static let chromium = ProcessInfo.processInfo.environment["CHROMIUM"] ?? "/usr/lib/chromium/chromium"

    /// The repository's `var/artifacts`, found from this source file.
    static var artifacts: URL {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<2 { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("var/artifacts", isDirectory: true)
    }

    struct Step: Decodable {
        var step: String
        var ok: Bool
        var detail: String
    }

    @Test("a tenant logs in, takes over, replies as a human, hands back, and sees a live update")
    func inboxInBrowser() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.chromium),
            "headless Chromium missing at \(Self.chromium): apt-get install chromium or set CHROMIUM")
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        try await withTenantHarness(liveStreamLifetime: .seconds(60)) { harness in
            let f = try await harness.makeTenant("Hotel Shop")
            let work = FileManager.default.temporaryDirectory.appendingPathComponent(
                TestEnvironment.uniqueName("tenant-browser"))
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let script = work.appendingPathComponent("tenant_browser.py")
            try TenantBrowserScript.source.write(to: script, atomically: true, encoding: .utf8)
            let marker = work.appendingPathComponent("ready")

            let app = Application(
                router: harness.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let arguments = [
                    script.path, "http://127.0.0.1:\(port)", f.user.email, f.password,
                    f.conversationID.uuidString.lowercased(), Self.artifacts.path, marker.path,
                ]
                async let output = Self.run("/usr/bin/python3", arguments)
                // When the browser has handed back and waits, a customer writes: the page must show it live.
                let deadline = ContinuousClock.now + .seconds(90)
                while !FileManager.default.fileExists(atPath: marker.path), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                if (try? String(contentsOf: marker, encoding: .utf8)) == "ready" {
                    _ = try await harness.repositories.messages.insertInbound(
                        tenantID: f.tenant.id, conversationID: f.conversationID,
                        mid: TestEnvironment.uniqueName("mid"), body: "Live message from the customer")
                }
                let steps = try await output.split(separator: "\n").compactMap {
                    try? JSONDecoder().decode(Step.self, from: Data($0.utf8))
                }
                for step in steps { #expect(step.ok, "\(step.step): \(step.detail)") }
                #expect(
                    steps.map(\.step) == [
                        "sign-up page", "login page", "logged in", "onboarding connect", "onboarding persona", "inbox",
                        "taken over", "human reply shown", "handed back",
                        "live update",
                    ])
            }
            let sent = try await harness.sent(to: f.customerID)
            #expect(sent.map(\.text) == ["A person answers from the browser."])
            for name in [
                "onboarding-account", "onboarding-connect", "tenant-overview", "inbox-list", "inbox-thread-taken-over",
                "inbox-thread-handed-back",
            ] {
                let size =
                    try FileManager.default.attributesOfItem(
                        atPath: Self.artifacts.appendingPathComponent("\(name).png").path)[.size] as? Int
                #expect((size ?? 0) > 5_000, "\(name).png")
            }
        }
    }

    /// Runs a process off the cooperative pool and returns its standard output (killed after 120 s).
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["CHROMIUM"] = chromium
        let data = try await ChildExit.output(
            of: executable, arguments, environment: environment, timeout: .seconds(120))
        return String(decoding: data, as: UTF8.self)
    }
}
