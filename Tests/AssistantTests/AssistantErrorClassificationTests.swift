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

    @Test("Retry-After as an HTTP-date (RFC 9110) gives the time until that date; a past date retries at once")
    func retryAfterDate() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(
            ChatCompletionsClient.retryAfter(["Retry-After": "Sun, 06 Nov 1994 08:50:07 GMT"], now: now)
                == .seconds(30))
        #expect(ChatCompletionsClient.retryAfter(["Retry-After": "Sun Nov  6 08:49:00 1994"], now: now) == .zero)
        // Through classify, against the real clock: a date 2 minutes ahead asks for about 2 minutes.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let header = formatter.string(from: Date().addingTimeInterval(120))
        let body = Array(#"{"error":{"message":"Rate limit reached","type":"requests"}}"#.utf8)
        let delay = ChatCompletionsClient.classify(status: 503, headers: ["Retry-After": header], body: body).retryAfter
        #expect(delay.map { $0 > .seconds(100) && $0 <= .seconds(121) } == true)
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
