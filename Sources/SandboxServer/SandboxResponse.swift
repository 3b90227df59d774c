import Foundation
import Hummingbird
import NIOCore

/// Builders for the JSON bodies the sandbox answers with, in each API's own error format.
enum SandboxResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response
    {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=UTF-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON value written by ``JSONWriter`` (the same bytes as ``encoder``, at a fraction of the cost).
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=UTF-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: JSONWriter.encode(value)))
    }

    static func object(_ members: [String: JSONValue], status: HTTPResponse.Status = .ok) -> Response {
        json(JSONValue.object(members), status: status)
    }

    // MARK: Graph API

    /// `{"error":{"message","type","code","error_subcode","fbtrace_id"}}` with Meta's wording for `code`.
    static func graphError(
        code: Int, subcode: Int? = nil, message: String? = nil, type: String? = nil, status: Int? = nil,
        retryAfter: Int? = nil
    ) -> Response {
        var error: [String: JSONValue] = [
            "message": .string(message ?? defaultGraphMessage(code: code, subcode: subcode)),
            "type": .string(type ?? "OAuthException"),
            "code": .number(Double(code)),
            "fbtrace_id": .string("A" + SandboxState.randomString(22)),
        ]
        if let subcode { error["error_subcode"] = .number(Double(subcode)) }
        if [1, 2, 4, 17, 32, 341, 613, 1200].contains(code) { error["is_transient"] = .bool(true) }
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        headers[.wwwAuthenticate] = code == 190 ? "OAuth \"Facebook Platform\" \"invalid_token\"" : nil
        return json(JSONValue.object(["error": .object(error)]), status: .init(code: status ?? 400), headers: headers)
    }

    static func defaultGraphMessage(code: Int, subcode: Int?) -> String {
        switch (code, subcode) {
        case (190, 463): return "Error validating access token: Session has expired."
        case (190, 460):
            return
                "Error validating access token: The session has been invalidated because the user changed their password."
        case (190, _): return "Invalid OAuth access token - Cannot parse access token"
        case (2500, _): return "An active access token must be used to query information about the current user."
        case (1, _): return "An unknown error occurred"
        case (2, _): return "An unexpected error has occurred. Please retry your request later."
        case (4, _): return "(#4) Application request limit reached"
        case (17, _): return "(#17) User request limit reached"
        case (32, _): return "(#32) Page request limit reached"
        case (613, _): return "(#613) Calls to this api have exceeded the rate limit."
        case (10, 2_534_022), (10, 2_018_278): return "(#10) This message is sent outside of allowed window."
        case (10, _): return "(#10) Application does not have permission for this action"
        case (100, 2_018_001): return "(#100) No matching user found"
        case (100, _): return "(#100) Invalid parameter"
        case (368, _): return "(#368) The action attempted has been deemed abusive or is otherwise disallowed"
        case (551, _): return "(#551) This person isn't available right now."
        case (1200, _): return "(#1200) Temporary send message failure. Please try again later."
        default: return "(#\(code)) Sandbox injected error"
        }
    }

    /// The flat error shape of `api.instagram.com/oauth/access_token`.
    static func instagramOAuthError(message: String, code: Int = 400, type: String = "OAuthException") -> Response {
        object(
            ["error_type": .string(type), "code": .number(Double(code)), "error_message": .string(message)],
            status: .init(code: code >= 400 && code < 600 ? code : 400)
        )
    }

    /// The error for a failed token check, or nil when the token is valid.
    static func tokenError(_ check: TokenCheck) -> Response? {
        switch check {
        case .valid: return nil
        case .missing: return graphError(code: 2500)
        case .invalid: return graphError(code: 190)
        case .expired: return graphError(code: 190, subcode: 463)
        }
    }

    /// The Graph error an injected rule asks for (code 2 for a bare 5xx).
    static func graphFault(_ rule: FaultRule) -> Response {
        let status = rule.status ?? 400
        let code = rule.code ?? (status >= 500 ? 2 : 1)
        return graphError(
            code: code, subcode: rule.subcode, message: rule.message, type: rule.type, status: status,
            retryAfter: rule.retryAfter)
    }

    // MARK: OpenAI

    /// `{"error":{"message","type","param","code"}}` with OpenAI's wording for `status`.
    static func llmError(
        status: Int, message: String? = nil, type: String? = nil, code: String? = nil, retryAfter: Int? = nil
    ) -> Response {
        let defaults: (String, String, String?) =
            switch (status, type) {
            case (429, "insufficient_quota"):
                (
                    "You exceeded your current quota, please check your plan and billing details.",
                    "insufficient_quota",
                    "insufficient_quota"
                )
            case (429, _):
                (
                    "Rate limit reached for requests. Please try again in \(retryAfter ?? 1)s.", "rate_limit_error",
                    "rate_limit_exceeded"
                )
            case (401, _): ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
            case (400, _): ("Invalid request.", "invalid_request_error", nil)
            case (404, _):
                (
                    "The model does not exist or you do not have access to it.", "invalid_request_error",
                    "model_not_found"
                )
            case (503, _): ("The engine is currently overloaded, please try again later.", "server_error", nil)
            default: ("The server had an error while processing your request. Sorry about that!", "server_error", nil)
            }
        let error: [String: JSONValue] = [
            "message": .string(message ?? defaults.0),
            "type": .string(type ?? defaults.1),
            "param": .null,
            "code": (code ?? defaults.2).map { .string($0) } ?? .null,
        ]
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return json(JSONValue.object(["error": .object(error)]), status: .init(code: status), headers: headers)
    }

    static func llmFault(_ rule: FaultRule) -> Response {
        llmError(
            status: rule.status ?? 500, message: rule.message, type: rule.type, code: rule.code.map { String($0) },
            retryAfter: rule.retryAfter)
    }
}
