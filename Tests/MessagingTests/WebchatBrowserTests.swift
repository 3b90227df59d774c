import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import Store
import TestSupport
import Testing

/// Headless Chromium as a visitor of a tenant's own website (another origin than the relay): the page embeds
/// `/webchat/widget.js?tenant=…`, the visitor opens the chat, sends a message and sees the AI's reply arrive
/// over Server-Sent Events, and after a reload the chat shows the same conversation again; then a new visitor's
/// page sends through `WoodstockWebchat.send` at once (scripts/lib/webchat-browser.mjs). The screenshot goes to
/// `var/artifacts/webchat-widget.png`.
@Suite struct WebchatBrowserTests {
    /// The repository root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Report: Decodable {
        struct Step: Decodable {
            let name: String
            let ok: Bool
            let detail: String
        }
        let ok: Bool
        let error: String?
        let steps: [Step]
        let log: String
        let console: [String]
        let failures: [String]
    }

    @Test("Chromium on a tenant's site: the widget sends the visitor's message and the AI reply arrives over SSE")
    func browserRoundTrip() async throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        try #require(chromium != nil, "chromium is missing: apt-get install chromium")
        try await withWebchatStack { stack in
            let tenant = try await stack.makeTenant("Browser Shop")
            try await withTenantSite(relay: stack.baseURL) { site in
                #expect(site != stack.baseURL)
                let screenshot = Self.root.appendingPathComponent("var/artifacts/webchat-widget.png")
                try? FileManager.default.removeItem(at: screenshot)
                let message = "Do you ship to Lisbon?"
                let expected = "Sandbox AI: you said \"\(message)\""
                let report = try await Self.runBrowser(
                    url: "\(site)/shop?tenant=\(tenant)", message: message, expect: expected,
                    screenshot: screenshot.path)
                let diagnosis = "\(report.error ?? "") console: \(report.console) failures: \(report.failures)"
                #expect(report.ok, "\(diagnosis)")
                #expect(
                    report.steps.map(\.name) == [
                        "widget loaded", "chat open", "own message shown", "reply shown", "widget loaded again",
                        "history after reload", "widget loaded for a new visitor",
                        "new visitor sees the reply, and only their own conversation",
                    ])
                #expect(report.steps.allSatisfy { $0.ok }, "\(diagnosis)")
                // The visitor's message first, then the reply, each once (after the reload, from the stream).
                let lines = report.log.split(separator: "\n").map(String.init)
                #expect(lines == [message, expected], "\(report.log)")
                #expect(report.failures.isEmpty, "\(report.failures)")
                let size = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
                #expect(size > 5_000, "webchat-widget.png is a real PNG")
                // What the browser sent went the same way as any message: stored, and answered by the AI.
                // Two visitors, two conversations.
                let conversations = try await stack.harness.repositories.conversations.listRecent(tenantID: tenant)
                #expect(conversations.count == 2)
                var messages: [Message] = []
                for conversation in conversations {
                    messages += try await stack.harness.repositories.messages.history(
                        tenantID: tenant, conversationID: conversation.id, limit: 10)
                }
                #expect(messages.contains { $0.direction == .inbound && $0.body == message })
                #expect(messages.contains { $0.direction == .outbound && $0.isAI && $0.body == expected })
            }
        }
    }

    /// Runs the Node driver off the cooperative pool and decodes its JSON report (killed after 180 s).
    static func runBrowser(url: String, message: String, expect: String, screenshot: String) async throws -> Report {
        let arguments = [
            "node", "--experimental-websocket", "--no-warnings",
            root.appendingPathComponent("scripts/lib/webchat-browser.mjs").path, url, message, expect, screenshot, "90",
        ]
        let data = try await ChildExit.output(of: "/usr/bin/env", arguments)
        do {
            return try JSONDecoder().decode(Report.self, from: data)
        } catch {
            Issue.record("driver output is not a report: \(String(decoding: data, as: UTF8.self))")
            throw error
        }
    }
}

/// Serves a tenant's "own site" on another port: `GET /shop?tenant=…` is a page that embeds the relay's widget,
/// so the widget runs cross-origin as it would on a customer's website.
func withTenantSite(relay: String, _ body: (String) async throws -> Void) async throws {
    let logger = Logger(label: "test.webchat.site")
    let router = Router(context: BasicRequestContext.self)
    router.get("shop") { request, _ in
        let tenant = request.uri.queryParameters["tenant"].map(String.init) ?? ""
        let html = """
            <!doctype html><html><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
            <title>Browser Shop</title></head>
            <body style="font-family: sans-serif; margin: 24px"><h1>Browser Shop</h1>
            <p>Handmade ceramics, shipped from Porto.</p>
            <script src="\(relay)/webchat/widget.js?tenant=\(tenant)" async></script></body></html>
            """
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        do {
            try await body("http://127.0.0.1:\(port)")
        } catch {
            tasks.cancelAll()
            throw error
        }
        tasks.cancelAll()
    }
}
