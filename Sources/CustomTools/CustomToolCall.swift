public import Assistant
public import Vault

/// One call of a tenant's tool: where it goes, how it is signed, and what it carries.
///
/// `description` shows only the tool name and call id: never the URL or the secret.
public struct CustomToolCall: Sendable, CustomStringConvertible {
    /// The tool's function name.
    public var toolName: String
    /// The endpoint URL.
    public var endpointURL: String
    /// The signing secret. Never logged.
    public var secret: Secret
    /// How long the call may take (capped by ``CustomToolSettings/maximumTimeout``).
    public var timeout: Duration
    /// The arguments the model sent (a JSON object).
    public var arguments: JSONValue
    /// The tenant's id.
    public var tenantID: String
    /// The conversation's id.
    public var conversationID: String
    /// The model's tool-call id (stable across the retries of one reply, so receivers can deduplicate).
    public var callID: String

    /// Creates a call.
    /// - Parameters:
    ///   - toolName: function name.
    ///   - endpointURL: endpoint.
    ///   - secret: signing secret.
    ///   - timeout: timeout.
    ///   - arguments: arguments.
    ///   - tenantID: tenant id.
    ///   - conversationID: conversation id.
    ///   - callID: tool-call id.
    public init(
        toolName: String, endpointURL: String, secret: Secret, timeout: Duration, arguments: JSONValue,
        tenantID: String, conversationID: String, callID: String
    ) {
        self.toolName = toolName
        self.endpointURL = endpointURL
        self.secret = secret
        self.timeout = timeout
        self.arguments = arguments
        self.tenantID = tenantID
        self.conversationID = conversationID
        self.callID = callID
    }

    /// `CustomToolCall(<tool>, <call id>)`.
    public var description: String { "CustomToolCall(\(toolName), \(callID))" }

    /// The JSON body POSTed to the endpoint (keys sorted, so it is stable).
    struct Body: Encodable {
        let tool: String
        let arguments: JSONValue
        let tenantID: String
        let conversationID: String
        let callID: String

        enum CodingKeys: String, CodingKey {
            case tool, arguments
            case tenantID = "tenant_id"
            case conversationID = "conversation_id"
            case callID = "call_id"
        }
    }
}
