/// One injected fault or delay, matched against each call to a sandbox route.
///
/// A rule with a `status` or a `code` answers with an error body in the wire format of the API it
/// belongs to (Graph: `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`; LLM:
/// `{"error":{"message","type","param","code"}}`); a rule with neither only adds `latency`.
///
/// ```json
/// {"route":"send","status":400,"code":190,"subcode":463,"times":1}
/// {"status":429,"retry_after":2,"probability":0.5}
/// ```
public struct FaultRule: Codable, Sendable, Equatable {
    /// The route the rule applies to (Graph: `send`, `profile`, `me`, `subscribe`, `conversations`, `oauth`,
    /// `exchange`, `refresh`, `accounts`; LLM: `chat`); nil or `*` matches every route of its API.
    public var route: String?
    /// The HTTP status of the error response (Graph default 400, LLM default 500).
    public var status: Int?
    /// The Graph error `code` (e.g. 190, 4, 10, 2) or, for the LLM, the string form of the error code.
    public var code: Int?
    /// The Graph `error_subcode` (e.g. 463, 2534022).
    public var subcode: Int?
    /// The error `type` (Graph default `OAuthException`; LLM default by status).
    public var type: String?
    /// The error message; a realistic default is chosen by code/status.
    public var message: String?
    /// The chance, 0...1, that a matching call is affected (default 1).
    public var probability: Double?
    /// Affect only the next N matching calls, then drop the rule (nil: no limit).
    public var times: Int?
    /// A `Retry-After` header, in seconds, on the error response.
    public var retryAfter: Int?
    /// A delay applied before answering a matching call.
    public var latency: LatencySpec?

    /// Creates a rule; every field is optional.
    public init(
        route: String? = nil, status: Int? = nil, code: Int? = nil, subcode: Int? = nil, type: String? = nil,
        message: String? = nil, probability: Double? = nil, times: Int? = nil, retryAfter: Int? = nil,
        latency: LatencySpec? = nil
    ) {
        self.route = route
        self.status = status
        self.code = code
        self.subcode = subcode
        self.type = type
        self.message = message
        self.probability = probability
        self.times = times
        self.retryAfter = retryAfter
        self.latency = latency
    }

    enum CodingKeys: String, CodingKey {
        case route, status, code, subcode, type, message, probability, times, latency
        case retryAfter = "retry_after"
    }

    /// Whether the rule answers with an error (rather than only delaying).
    var isError: Bool { status != nil || code != nil }

    /// Whether the rule applies to `route`.
    func matches(route candidate: String) -> Bool {
        guard let route, route != "*" else { return true }
        return route == candidate
    }
}
