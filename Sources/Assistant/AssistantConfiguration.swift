/// How the assistant reaches an OpenAI-compatible chat completions API and how long it may talk.
///
/// `description` never shows the API key.
public struct AssistantConfiguration: Sendable, CustomStringConvertible {
    /// The API base: `https://api.openai.com` (then `/v1/chat/completions` is appended) or a base that already
    /// ends in `/v1` (then `/chat/completions`).
    public var baseURL: String
    /// The model name. Default `gpt-4o-mini`.
    public var model: String
    /// The API key, sent as `Authorization: Bearer`. Never printed.
    public var apiKey: String?
    /// Sampling temperature. Default 0.3.
    public var temperature: Double
    /// `max_tokens` per completion. Default 400.
    public var maxTokens: Int
    /// Total time for one completion call. Default 30 s (META.md §5: 20-30 s for DM replies).
    public var timeout: Duration
    /// At most this many completion calls per reply, tool rounds included. Default 4.
    public var maxRounds: Int
    /// The reply is cut (at a sentence or word end) to at most this many UTF-8 bytes. Default 2000 (two
    /// Instagram messages).
    public var maxReplyBytes: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - baseURL: API base URL.
    ///   - model: model name.
    ///   - apiKey: the API key.
    ///   - temperature: sampling temperature.
    ///   - maxTokens: completion token cap.
    ///   - timeout: per-call timeout.
    ///   - maxRounds: completion calls per reply.
    ///   - maxReplyBytes: reply length cap in UTF-8 bytes.
    public init(
        baseURL: String = "https://api.openai.com", model: String = "gpt-4o-mini", apiKey: String?,
        temperature: Double = 0.3, maxTokens: Int = 400, timeout: Duration = .seconds(30), maxRounds: Int = 4,
        maxReplyBytes: Int = 2000
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.model = model
        self.apiKey = apiKey
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.timeout = timeout
        self.maxRounds = max(1, maxRounds)
        self.maxReplyBytes = max(16, maxReplyBytes)
    }

    /// The chat completions endpoint.
    public var completionsURL: String {
        baseURL.hasSuffix("/v1") ? baseURL + "/chat/completions" : baseURL + "/v1/chat/completions"
    }

    /// Base URL and model; the key is `********` or `unset`.
    public var description: String {
        "AssistantConfiguration(baseURL: \(baseURL), model: \(model), apiKey: \(apiKey == nil ? "unset" : "********"))"
    }
}
