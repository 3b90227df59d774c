import Foundation
import HTTP
import Testing

@testable import Assistant

@Suite struct AssistantErrorClassificationTests {
    /// (status, body, code, retryable) — META.md §5.
    static let cases: [(Int, String, AssistantError.Code, Bool)] = [
        (
            429,
            #"{"error":{"message":"Rate limit reached for gpt-4o-mini","type":"requests","code":"rate_limit_exceeded"}}"#,
            .rateLimited, true
        ),
        (
            429,
            #"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
            .insufficientQuota, false
        ),
        (500, #"{"error":{"message":"The server had an error","type":"server_error"}}"#, .apiError, true),
        (502, "Bad Gateway", .apiError, true), (503, "", .apiError, true),
        (
            400,
            #"{"error":{"message":"context_length_exceeded","type":"invalid_request_error","code":"context_length_exceeded"}}"#,
            .apiError, false
        ),
        (
            401,
            #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#,
            .apiError, false
        ),
        (403, #"{"error":{"message":"Country not supported","type":"invalid_request_error"}}"#, .apiError, false),
        (
            404,
            #"{"error":{"message":"The model does not exist","type":"invalid_request_error","code":"model_not_found"}}"#,
            .apiError, false
        ),
        (408, "", .apiError, true),
    ]

    @Test("HTTP errors are classified for retries", arguments: cases.indices)
    func classify(_ index: Int) {
        let (status, body, code, retryable) = Self.cases[index]
        let error = ChatCompletionsClient.classify(status: status, headers: [:], body: Array(body.utf8))
        #expect(error.code == code)
        #expect(error.isRetryable == retryable)
        #expect(error.status == status)
    }

    @Test("Retry-After, retry-after-ms and x-ratelimit-reset-requests give the delay")
    func retryAfter() {
        let body = Array(#"{"error":{"message":"Rate limit reached","type":"requests"}}"#.utf8)
        #expect(
            ChatCompletionsClient.classify(status: 429, headers: ["Retry-After": "7"], body: body).retryAfter
                == .seconds(7))
        #expect(
            ChatCompletionsClient.classify(status: 429, headers: ["retry-after-ms": "250"], body: body).retryAfter
                == .milliseconds(250))
        #expect(
            ChatCompletionsClient.classify(status: 429, headers: ["x-ratelimit-reset-requests": "6m0s"], body: body)
                .retryAfter == .seconds(360))
        #expect(ChatCompletionsClient.parseResetDuration("12ms") == .milliseconds(12))
        #expect(ChatCompletionsClient.parseResetDuration("1h2m3.5s") == .milliseconds(3_723_500))
        #expect(ChatCompletionsClient.parseResetDuration("soon") == nil)
        #expect(ChatCompletionsClient.classify(status: 429, headers: [:], body: body).retryAfter == nil)
    }

    @Test("end to end: 429 with Retry-After is retryable and the key stays secret; no key fails before sending")
    func endToEnd() async throws {
        try await LLMTestServer.run { llm in
            try await llm.script(
                status: 429, body: #"{"error":{"message":"Rate limit reached","type":"requests"}}"#,
                headers: ["Retry-After": "3"])
            let limited = await #expect(throws: AssistantError.self) {
                try await llm.assistant().reply(to: [.user("hi")], persona: Persona(businessName: "B"))
            }
            #expect(limited?.code == .rateLimited)
            #expect(limited?.retryAfter == .seconds(3))
            #expect(limited?.description.contains("sk-test-key") == false)
            let missing = await #expect(throws: AssistantError.self) {
                try await llm.assistant(key: nil).reply(to: [.user("hi")], persona: Persona(businessName: "B"))
            }
            #expect(missing?.code == .invalidConfiguration)
            #expect(try await llm.received().count == 1)
        }
    }

    @Test("configuration: endpoint URL forms and a redacted key")
    func configuration() {
        let plain = AssistantConfiguration(baseURL: "https://api.openai.com/", apiKey: "sk-secret")
        #expect(plain.completionsURL == "https://api.openai.com/v1/chat/completions")
        #expect(
            AssistantConfiguration(baseURL: "http://127.0.0.1:8080/v1", apiKey: nil).completionsURL
                == "http://127.0.0.1:8080/v1/chat/completions")
        #expect(!plain.description.contains("sk-secret"))
    }
}
