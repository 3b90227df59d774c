import Assistant
import CustomTools
import Foundation
import HTTP
import Synchronization
import TestSupport
import Testing
import Vault

/// Resolve once, check, pin: a tool's host name is looked up once per call, every address is checked against
/// the network policy, and the connection goes only to the checked addresses (`CURLOPT_RESOLVE`).
@Suite struct DNSRebindingTests {
    static let secret = "whsec_" + String(repeating: "7a", count: 32)

    /// A resolver that answers from `table` and counts its lookups.
    final class CountingResolver: Sendable {
        let table: [String: [String]]
        let lookups = Mutex(0)

        init(_ table: [String: [String]]) { self.table = table }

        var resolver: HostResolver {
            HostResolver { name in
                self.lookups.withLock { $0 += 1 }
                return self.table[name] ?? []
            }
        }
    }

    /// Runs `body` with the TLS tool server and an executor (its own client) that uses `resolver`.
    func withExecutor(
        settings: CustomToolSettings, resolver: HostResolver,
        _ body: (CustomToolExecutor, TestToolServer) async throws -> Void
    ) async throws {
        try await TestToolServer.withServer(secret: Self.secret) { server in
            var settings = settings
            settings.caBundlePath = server.caFile
            let logs = TestLogCapture()
            let http = try HTTPClient(configuration: settings.httpConfiguration, logger: logs.logger("test.http"))
            let executor = CustomToolExecutor(
                http: http, settings: settings, resolver: resolver, logger: logs.logger("test.tools"))
            do {
                try await body(executor, server)
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }

    func call(_ url: String) -> CustomToolCall {
        CustomToolCall(
            toolName: "lookup_order", endpointURL: url, secret: Secret(Self.secret), timeout: .seconds(5),
            arguments: ["order": "A-17"], tenantID: "tenant-1", conversationID: "conversation-1", callID: "call_dns")
    }

    @Test(
        "a host name that resolves to a loopback, private or link-local address is refused before anything is sent",
        arguments: [["127.0.0.1"], ["10.0.0.7"], ["203.0.113.9", "192.168.1.20"], ["169.254.169.254"], ["::1"]])
    func refused(_ addresses: [String]) async throws {
        let names = CountingResolver(["localhost": addresses])
        try await withExecutor(settings: CustomToolSettings(), resolver: names.resolver) { executor, server in
            let error = await #expect(throws: CustomToolsError.self) {
                try await executor.execute(call("https://localhost:\(server.port)/tool/ok"))
            }
            #expect(error?.code == .destinationRefused)
            let received = try await server.received()
            #expect(received.isEmpty)
            #expect(names.lookups.withLock { $0 } == 1)
        }
    }

    @Test("the connection goes to the address that was checked: one lookup per call, no second resolution")
    func pinnedToCheckedAddress() async throws {
        // The checked answer says 127.0.0.2, where nothing listens: had the client resolved "localhost" itself
        // (127.0.0.1, where the server is), the call would have reached the server.
        let elsewhere = CountingResolver(["localhost": ["127.0.0.2"]])
        let settings = CustomToolSettings(allowsLoopback: true)
        try await withExecutor(settings: settings, resolver: elsewhere.resolver) { executor, server in
            let error = await #expect(throws: CustomToolsError.self) {
                try await executor.execute(call("https://localhost:\(server.port)/tool/ok"))
            }
            #expect(error?.code == .unreachable)
            let received = try await server.received()
            #expect(received.isEmpty)
            #expect(elsewhere.lookups.withLock { $0 } == 1)
        }
        // The same name checked to the server's address: the call arrives (TLS verified for "localhost").
        let here = CountingResolver(["localhost": ["127.0.0.1"]])
        try await withExecutor(settings: settings, resolver: here.resolver) { executor, server in
            let text = try await executor.execute(call("https://localhost:\(server.port)/tool/ok"))
            #expect(text == "order A-17 ships tomorrow")
            let received = try await server.received()
            #expect(received.count == 1)
            #expect(here.lookups.withLock { $0 } == 1)
        }
    }
}
