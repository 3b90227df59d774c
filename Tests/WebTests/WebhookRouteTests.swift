import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Meta
import NIOCore
import Testing
import Web

@Suite struct WebhookRouteTests {
    static let secrets = ["ig-app-secret", "meta-app-secret"]
    static let configuration = WebhookConfiguration(
        verifyToken: "meatyhamhock", appSecrets: secrets, maxBodyBytes: 4096)
    static let signature = HTTPField.Name("X-Hub-Signature-256")

    static func withRoutes(
        enqueuer: RecordingEnqueuer = RecordingEnqueuer(),
        readiness: FixedReadiness = FixedReadiness(statuses: [ReadinessStatus(name: "redis", isReady: true)]),
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = makeWebhookRouter(
            configuration: configuration, enqueuer: enqueuer, readiness: readiness,
            logger: Logger(label: "web.test"))
        try await Application(router: router).test(.router, body)
    }

    static func post(
        _ client: some TestClientProtocol, _ text: String, signatureHeader: String?
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let signatureHeader, let name = signature { headers[name] = signatureHeader }
        return try await client.execute(
            uri: "/webhooks/meta", method: .post, headers: headers, body: ByteBuffer(string: text))
    }

    static func signed(_ text: String, secret: String = "ig-app-secret") throws -> String {
        try WebhookSignatureVerifier.signatureHeader(for: Array(text.utf8), secret: secret)
    }

    static let batched = """
        {"object":"instagram","entry":[
         {"id":"A1","time":1,"messaging":[
           {"sender":{"id":"U1"},"recipient":{"id":"A1"},"timestamp":10,"message":{"mid":"m1","text":"one"}},
           {"sender":{"id":"U2"},"recipient":{"id":"A1"},"timestamp":11,"message":{"mid":"m2","text":"two"}},
           {"sender":{"id":"U1"},"recipient":{"id":"A1"},"timestamp":12,"read":{"mid":"m0"}}]},
         {"id":"A2","time":2,"messaging":[
           {"sender":{"id":"U3"},"recipient":{"id":"A2"},"timestamp":13,"message":{"mid":"m3",
            "attachments":[{"type":"never_seen_before","payload":{"url":"https://cdn/x"}}]}},
           {"sender":{"id":"U3"},"recipient":{"id":"A2"},"timestamp":14,
            "reaction":{"mid":"m3","action":"unreact"}}]},
         {"id":"0","time":3,"changes":[{"field":"messages","value":{"text":"test"}}]}
        ]}
        """

    @Test("a signed batched delivery hands exactly its events to the enqueuer in one call")
    func batchedDelivery() async throws {
        let enqueuer = RecordingEnqueuer()
        try await Self.withRoutes(enqueuer: enqueuer) { client in
            let response = try await Self.post(client, Self.batched, signatureHeader: try Self.signed(Self.batched))
            #expect(response.status == .ok)
        }
        let batches = enqueuer.batches
        #expect(batches.count == 1)
        let events = try #require(batches.first)
        #expect(events.map(\.id) == ["m1", "m2", "read:m0", "m3", "reaction:m3:unreact:14"])
        #expect(events.map(\.accountID) == ["A1", "A1", "A1", "A2", "A2"])
        #expect(events[3].attachments.first?.type == "never_seen_before")
    }

    @Test("a delivery signed with the Meta app secret is accepted too")
    func secondSecret() async throws {
        let enqueuer = RecordingEnqueuer()
        try await Self.withRoutes(enqueuer: enqueuer) { client in
            let header = try Self.signed(Self.batched, secret: "meta-app-secret")
            let response = try await Self.post(client, Self.batched, signatureHeader: header)
            #expect(response.status == .ok)
        }
        #expect(enqueuer.batches.count == 1)
    }

    @Test("missing, wrong, wrongly prefixed signatures and a body changed by one byte get 401, nothing enqueued")
    func badSignatures() async throws {
        let enqueuer = RecordingEnqueuer()
        let good = try Self.signed(Self.batched)
        let hex = String(good.dropFirst("sha256=".count))
        let changedBody = Self.batched.replacingOccurrences(of: "\"one\"", with: "\"onf\"")
        let cases: [(String, String?)] = [
            (Self.batched, nil),
            (Self.batched, try Self.signed(Self.batched, secret: "attacker")),
            (Self.batched, "sha1=\(hex)"),
            (Self.batched, hex),
            (changedBody, good),
        ]
        try await Self.withRoutes(enqueuer: enqueuer) { client in
            for (body, header) in cases {
                let response = try await Self.post(client, body, signatureHeader: header)
                #expect(response.status == .unauthorized)
            }
        }
        #expect(enqueuer.batches.isEmpty)
    }

    @Test("a changes[]-only test delivery is accepted with nothing enqueued")
    func changesOnly() async throws {
        let enqueuer = RecordingEnqueuer()
        let body = #"{"object":"instagram","entry":[{"id":"0","time":1,"changes":[{"field":"messages","value":{}}]}]}"#
        try await Self.withRoutes(enqueuer: enqueuer) { client in
            let header = try Self.signed(body)
            let response = try await Self.post(client, body, signatureHeader: header)
            #expect(response.status == .ok)
        }
        #expect(enqueuer.batches.isEmpty)
    }

    @Test("signed malformed JSON gets 400; an oversize body gets 413; neither enqueues")
    func malformedAndOversize() async throws {
        let enqueuer = RecordingEnqueuer()
        let oversize = #"{"object":"instagram","pad":""# + String(repeating: "x", count: 5000) + #""}"#
        try await Self.withRoutes(enqueuer: enqueuer) { client in
            let malformed = try await Self.post(client, "{not json", signatureHeader: try Self.signed("{not json"))
            #expect(malformed.status == .badRequest)
            let tooLarge = try await Self.post(client, oversize, signatureHeader: try Self.signed(oversize))
            #expect(tooLarge.status == .contentTooLarge)
        }
        #expect(enqueuer.batches.isEmpty)
    }

    @Test("an enqueue failure answers a bare 500")
    func enqueueFailure() async throws {
        try await Self.withRoutes(enqueuer: RecordingEnqueuer(fails: true)) { client in
            let response = try await Self.post(client, Self.batched, signatureHeader: try Self.signed(Self.batched))
            #expect(response.status == .internalServerError)
            #expect(response.body.readableBytes == 0)
        }
    }

    @Test("handshake echoes the challenge as text/plain for the right token, 403 otherwise")
    func handshake() async throws {
        try await Self.withRoutes { client in
            let ok = try await client.execute(
                uri: "/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock",
                method: .get)
            #expect(ok.status == .ok)
            #expect(String(buffer: ok.body) == "1158201444")
            #expect(ok.headers[.contentType]?.hasPrefix("text/plain") == true)
            for uri in [
                "/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong",
                "/webhooks/meta?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=meatyhamhock",
                "/webhooks/meta?hub.mode=subscribe&hub.challenge=1",
                "/webhooks/meta?hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=meatyhamhock",
            ] {
                let refused = try await client.execute(uri: uri, method: .get)
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test("healthz is 200; readyz follows the readiness check and times out to 503")
    func health() async throws {
        try await Self.withRoutes { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
        }
        let down = FixedReadiness(statuses: [
            ReadinessStatus(name: "redis", isReady: true), ReadinessStatus(name: "postgres", isReady: false),
        ])
        try await Self.withRoutes(readiness: down) { client in
            let response = try await client.execute(uri: "/readyz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body).contains("postgres: down"))
        }
    }

    @Test("the configuration's description hides the verify token and secrets")
    func redaction() {
        let text = "\(Self.configuration)"
        #expect(!text.contains("meatyhamhock") && !text.contains("ig-app-secret"))
    }
}
