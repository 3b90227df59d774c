/// A tool the assistant may call: its definition for the model and the code that runs it.
///
/// ```swift
/// let search = AssistantTool(
///     name: "search_products", description: "Search the shop's catalogue",
///     parameters: ["type": "object", "properties": ["query": ["type": "string"]], "required": ["query"]]
/// ) { arguments in
///     try await catalogue.search(arguments["query"]?.stringValue ?? "")
/// }
/// ```
public struct AssistantTool: Sendable {
    /// Runs the tool with the parsed arguments (a JSON object) and returns the text the model reads.
    public typealias Handler = @Sendable (JSONValue) async throws -> String

    /// What the model sees.
    public let definition: ToolDefinition
    /// The code that runs the tool. A thrown error becomes the tool result `error: <description>`, so the model
    /// can recover; make error descriptions safe to show the model.
    public let handler: Handler

    /// Creates a tool.
    /// - Parameters:
    ///   - name: the function name (`^[a-zA-Z0-9_-]{1,64}$`).
    ///   - description: what it does, for the model.
    ///   - parameters: the JSON Schema of its arguments.
    ///   - handler: the implementation.
    public init(name: String, description: String, parameters: JSONValue, handler: @escaping Handler) {
        definition = ToolDefinition(name: name, description: description, parameters: parameters)
        self.handler = handler
    }

    /// The function name.
    public var name: String { definition.name }
}

extension AssistantTool {
    /// The id of the model's tool call whose handler is running, set by ``Assistant`` around each handler call
    /// (a handler can send it on, e.g. as an idempotency key); `nil` outside a handler.
    @TaskLocal public static var currentCallID: String?
}
