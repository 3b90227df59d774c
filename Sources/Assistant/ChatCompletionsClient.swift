import Foundation
public import HTTP
public import Logging

/// One call to an OpenAI-compatible `POST /v1/chat/completions`, with errors classified for retries.
///
/// The API key goes in `Authorization: Bearer`; it never appears in a URL, log line or error.
/// Thread safety: a value type over a thread-safe ``HTTPClient``. Cancellation throws `CancellationError`.
public struct ChatCompletionsClient: Sendable {
    /// Base URL, model, key and limits.
    public let configuration: AssistantConfiguration
    private let http: HTTPClient
    private let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - http: the shared HTTP client.
    ///   - configuration: where and how to call.
    ///   - logger: debug lines with status and error type (never the key or message text).
    public init(http: HTTPClient, configuration: AssistantConfiguration, logger: Logger) {
        self.http = http
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends one completion request.
    /// - Parameter request: the request body.
    /// - Returns: the decoded response.
    /// - Throws: ``AssistantError``: `.rateLimited` (retryable, with ``AssistantError/retryAfter``),
    ///   `.insufficientQuota`, `.apiError` (retryable for 408, 409 and 5xx), `.transport` (retryable),
    ///   `.malformedResponse`, `.invalidConfiguration`.
    public func complete(_ request: ChatCompletionRequest) async throws -> ChatCompletionResponse {
        guard let key = configuration.apiKey, !key.isEmpty else {
            throw AssistantError(.invalidConfiguration, message: "chat completions: no API key configured")
        }
        let body: [UInt8]
        do {
            body = try request.jsonBytes()
        } catch {
            throw AssistantError(.malformedResponse, message: "chat completions: request not encodable")
        }
        let httpRequest = HTTPRequest(
            method: .post, url: configuration.completionsURL,
            headers: [
                "Authorization": "Bearer \(key)", "Content-Type": "application/json", "Accept": "application/json",
            ],
            body: body, timeout: configuration.timeout)
        let response: HTTPResponse
        do {
            response = try await http.execute(httpRequest)
        } catch let error as HTTPError {
            let retryable = error.code == .timeout || error.code == .transport || error.code == .clientShutdown
            throw AssistantError(.transport, message: "chat completions: \(error)", isRetryable: retryable)
        }
        guard response.isSuccess else {
            let error = Self.classify(status: response.status, headers: response.headers, body: response.body)
            logger.debug(
                "chat completion failed",
                metadata: ["http.status": "\(response.status)", "error.code": "\(error.code)"])
            throw error
        }
        if let decoded = ChatCompletionResponse.fastDecoded(from: response.body) { return decoded }
        do {
            return try JSONDecoder().decode(ChatCompletionResponse.self, from: Data(response.body))
        } catch {
            throw AssistantError(
                .malformedResponse, message: "chat completions: not a chat completion (\(response.body.count) bytes)")
        }
    }

    /// Classifies an error response (META.md §5).
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - headers: the response headers (`Retry-After`, `retry-after-ms`, `x-ratelimit-reset-requests`).
    ///   - body: `{"error":{"message","type","param","code"}}` or anything else.
    /// - Returns: the error to throw.
    public static func classify(status: Int, headers: HTTPHeaders, body: [UInt8]) -> AssistantError {
        let error = (try? JSONDecoder().decode(ErrorEnvelope.self, from: Data(body)))?.error
        let type = error?.type ?? ""
        let code = error?.code?.stringValue ?? ""
        let text = String((error?.message ?? "HTTP \(status)").prefix(300))
        let context =
            "chat completions: HTTP \(status)\(type.isEmpty ? "" : " \(type)")\(code.isEmpty ? "" : "/\(code)"): \(text)"
        if status == 429 {
            if type == "insufficient_quota" || code == "insufficient_quota" {
                return AssistantError(.insufficientQuota, message: context, status: status)
            }
            return AssistantError(
                .rateLimited, message: context, status: status, isRetryable: true, retryAfter: retryAfter(headers))
        }
        let retryable = status == 408 || status == 409 || status >= 500
        return AssistantError(
            .apiError, message: context, status: status, isRetryable: retryable,
            retryAfter: retryable ? retryAfter(headers) : nil)
    }

    /// `retry-after-ms`, then `Retry-After` (seconds or an HTTP-date, RFC 9110), then
    /// `x-ratelimit-reset-requests` (`6m0s`, `12ms`).
    static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let ms = headers["retry-after-ms"].flatMap({ Double($0) }), ms >= 0 { return .milliseconds(Int(ms)) }
        if let delay = RetryAfter.delay(headers["Retry-After"], now: now) { return delay }
        return headers["x-ratelimit-reset-requests"].flatMap(parseResetDuration)
    }

    /// Parses Go-style durations like `1h2m3.5s`, `6m0s`, `12ms`.
    static func parseResetDuration(_ text: String) -> Duration? {
        var total = 0.0
        var number = ""
        var index = text.startIndex
        var sawUnit = false
        while index < text.endIndex {
            let character = text[index]
            if character.isNumber || character == "." {
                number.append(character)
                index = text.index(after: index)
                continue
            }
            guard let value = Double(number) else { return nil }
            let rest = text[index...]
            let (factor, length): (Double, Int) =
                rest.hasPrefix("ms")
                ? (0.001, 2)
                : rest.hasPrefix("h")
                    ? (3600, 1)
                    : rest.hasPrefix("m") ? (60, 1) : rest.hasPrefix("s") ? (1, 1) : (0, 0)
            guard length > 0 else { return nil }
            total += value * factor
            number = ""
            sawUnit = true
            index = text.index(index, offsetBy: length)
        }
        guard sawUnit, number.isEmpty else { return nil }
        return .milliseconds(Int(total * 1000))
    }

    private struct ErrorEnvelope: Decodable {
        struct Body: Decodable {
            let message: String?
            let type: String?
            let code: JSONValue?
        }

        let error: Body?
    }
}
