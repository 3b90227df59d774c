import Foundation
import HTTP
import Logging
import TestSupport
import Testing

@testable import Meta

/// A scripted Meta stand-in for one test: the Python test server answering with Meta-shaped bodies, plus clients
/// pointed at it.
struct GraphTestServer {
    let server: TestHTTPServer
    let http: HTTPClient
    let configuration: GraphAPIConfiguration

    /// One request the server received on a scripted route.
    struct Received: Decodable {
        let method: String
        let path: String
        let query: String
        let headers: [String: String]
        let body: String
    }

    static func run(_ body: (GraphTestServer) async throws -> Void) async throws {
        try await TestHTTPServer.withServer { server in
            let http = try HTTPClient(logger: Logger(label: "test.meta"))
            let configuration = GraphAPIConfiguration(
                instagramGraphURL: server.baseURL, facebookGraphURL: server.baseURL + "/fb",
                instagramAPIURL: server.baseURL + "/api", version: "v24.0", timeout: .seconds(5))
            do {
                try await body(GraphTestServer(server: server, http: http, configuration: configuration))
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }

    var graph: GraphClient {
        GraphClient(http: http, configuration: configuration, logger: Logger(label: "test.graph"))
    }

    func oauth(_ credentials: MetaAppCredentials) -> MetaOAuthClient {
        MetaOAuthClient(
            http: http, configuration: configuration, credentials: credentials, logger: Logger(label: "test.oauth"))
    }

    /// Queues a reply for `method path`.
    func script(
        _ method: String, _ path: String, status: Int = 200, body: String, headers: [String: String] = [:],
        times: Int? = nil, delayMilliseconds: Int = 0
    ) async throws {
        let request = HTTPRequest(
            method: .post, url: server.url("/__script"),
            body: TestHTTPServer.scriptBody(
                method: method, path: path, status: status, body: body, headers: headers, times: times,
                delayMilliseconds: delayMilliseconds))
        let response = try await http.execute(request)
        #expect(response.status == 200)
    }

    /// Every request the scripted routes received, in order.
    func received() async throws -> [Received] {
        let response = try await http.execute(HTTPRequest(url: server.url("/__requests")))
        return try JSONDecoder().decode([Received].self, from: Data(response.body))
    }

    /// The JSON object a request carried.
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
