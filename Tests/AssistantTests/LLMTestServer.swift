import Foundation
import HTTP
import Logging
import TestSupport
import Testing

@testable import Assistant

/// The Python test server playing an OpenAI-compatible API for one test.
struct LLMTestServer {
    let server: TestHTTPServer
    let http: HTTPClient

    static let path = "/v1/chat/completions"

    static func run(_ body: (LLMTestServer) async throws -> Void) async throws {
        try await TestHTTPServer.withServer { server in
            let http = try HTTPClient(logger: Logger(label: "test.llm"))
            do {
                try await body(LLMTestServer(server: server, http: http))
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }

    func assistant(maxRounds: Int = 4, maxReplyBytes: Int = 2000, key: String? = "sk-test-key") -> Assistant {
        let configuration = AssistantConfiguration(
            baseURL: server.baseURL, model: "gpt-4o-mini", apiKey: key, timeout: .seconds(5), maxRounds: maxRounds,
            maxReplyBytes: maxReplyBytes)
        let logger = Logger(label: "test.assistant")
        return Assistant(
            client: ChatCompletionsClient(http: http, configuration: configuration, logger: logger), logger: logger)
    }

    /// Queues one completion answer.
    func script(status: Int = 200, body: String, headers: [String: String] = [:]) async throws {
        let response = try await http.execute(
            HTTPRequest(
                method: .post, url: server.url("/__script"),
                body: TestHTTPServer.scriptBody(
                    method: "POST", path: Self.path, status: status, body: body, headers: headers, times: 1)))
        #expect(response.status == 200)
    }

    /// The request bodies the API received, as JSON objects, and their headers.
    func received() async throws -> [(body: JSONValue, headers: [String: String])] {
        let response = try await http.execute(HTTPRequest(url: server.url("/__requests")))
        let list = try JSONDecoder().decode([Received].self, from: Data(response.body))
        return try list.map { (try JSONValue.parse($0.body), $0.headers) }
    }

    private struct Received: Decodable {
        let body: String
        let headers: [String: String]
    }

    static func completion(content: String?, toolCalls: String? = nil) -> String {
        let contentJSON = content.map { JSONValue.string($0).jsonString } ?? "null"
        let calls = toolCalls.map { #","tool_calls":\#($0)"# } ?? ""
        let finish = toolCalls == nil ? "stop" : "tool_calls"
        return
            #"{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"finish_reason":"\#(finish)","message":{"role":"assistant","content":\#(contentJSON)\#(calls)}}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"#
    }
}
