/// The sandbox's fault and latency settings for the Graph API and the LLM, set at start and at runtime.
///
/// `POST /_sandbox/faults` replaces the whole value; `GET /_sandbox/faults` returns it.
/// ```json
/// {"graph":[{"route":"send","code":190,"subcode":463,"times":1}],
///  "llm":[{"status":429,"retry_after":1,"times":2}],
///  "graph_latency":{"min_ms":5,"max_ms":20},"llm_latency":{"min_ms":1500},
///  "conversations_limit":{"calls":2,"window_ms":1000}}
/// ```
/// Rules are tried in order; the first error rule that matches (and wins its probability draw) answers.
public struct SandboxFaults: Codable, Sendable, Equatable {
    /// Rules for the Graph API routes (including OAuth).
    public var graph: [FaultRule]
    /// Rules for the chat-completions route.
    public var llm: [FaultRule]
    /// A delay for every Graph call (added to any rule's own latency).
    public var graphLatency: LatencySpec?
    /// A delay for every LLM call (added to any rule's own latency).
    public var llmLatency: LatencySpec?
    /// The per-account budget of the Conversations API route; `nil` is Meta's own (``CallLimit/conversations``,
    /// 2 calls per second), `{"calls":0}` none. Calls over it get Graph error 613.
    public var conversationsLimit: CallLimit?

    /// Creates a fault set; the default injects nothing (the Conversations API keeps Meta's 2 calls per second).
    public init(
        graph: [FaultRule] = [], llm: [FaultRule] = [], graphLatency: LatencySpec? = nil,
        llmLatency: LatencySpec? = nil, conversationsLimit: CallLimit? = nil
    ) {
        self.graph = graph
        self.llm = llm
        self.graphLatency = graphLatency
        self.llmLatency = llmLatency
        self.conversationsLimit = conversationsLimit
    }

    enum CodingKeys: String, CodingKey {
        case graph, llm
        case graphLatency = "graph_latency"
        case llmLatency = "llm_latency"
        case conversationsLimit = "conversations_limit"
    }

    /// Decodes with every member optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        graph = try container.decodeIfPresent([FaultRule].self, forKey: .graph) ?? []
        llm = try container.decodeIfPresent([FaultRule].self, forKey: .llm) ?? []
        graphLatency = try container.decodeIfPresent(LatencySpec.self, forKey: .graphLatency)
        llmLatency = try container.decodeIfPresent(LatencySpec.self, forKey: .llmLatency)
        conversationsLimit = try container.decodeIfPresent(CallLimit.self, forKey: .conversationsLimit)
    }
}
