import CryptoCore
import Foundation
import HTTP
import Logging

/// Sends Graph API requests and turns every failure into a ``MetaError`` with its ``GraphErrorDetail``.
/// Shared by ``GraphClient`` and ``MetaOAuthClient``.
struct GraphTransport: Sendable {
    let http: HTTPClient
    let timeout: Duration
    let logger: Logger

    /// A successful reply.
    struct Reply: Sendable {
        let status: Int
        let body: [UInt8]
        let usage: GraphUsage?
    }

    enum Body {
        case none
        case json([UInt8])
        case form([(String, String)])
    }

    /// Sends one request. The access token goes in `Authorization: Bearer`, never in the URL.
    /// With `proofSecret`, adds `appsecret_proof` = hex HMAC-SHA256(app secret, token) as Meta's "Require App
    /// Secret" setting demands (a proof, not a secret: it reveals neither the token nor the app secret).
    func send(
        _ method: HTTPMethod, _ url: String, query: [(String, String)] = [], token: String?, body: Body = .none,
        proofSecret: String? = nil, operation: String
    ) async throws -> Reply {
        var query = query
        if let token, let proofSecret {
            let proof = try HMACSHA256.authenticationCode(for: Array(token.utf8), using: Array(proofSecret.utf8))
            query.append(("appsecret_proof", Hex.encode(proof)))
        }
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        var bytes: [UInt8]?
        switch body {
        case .none: break
        case .json(let json):
            headers.add(name: "Content-Type", value: "application/json")
            bytes = json
        case .form(let items):
            headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            bytes = Array(FormEncoding.encode(items).utf8)
        }
        let fullURL = query.isEmpty ? url : url + "?" + FormEncoding.encode(query)
        let request = HTTPRequest(method: method, url: fullURL, headers: headers, body: bytes, timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPError {
            let code: MetaError.Code =
                (error.code == .invalidRequest || error.code == .responseTooLarge) ? .invalidRequest : .transport
            logger.debug("graph call failed", metadata: ["graph.operation": "\(operation)", "error": "\(error)"])
            throw MetaError(code, message: "\(operation): \(error)")
        }
        let usage = GraphUsage(
            appUsage: response.headers["X-App-Usage"],
            businessUseCaseUsage: response.headers["X-Business-Use-Case-Usage"])
        if let detail = Self.errorDetail(status: response.status, body: response.body) {
            let retryAfter = Self.retryAfter(response.headers["Retry-After"]) ?? usage?.estimatedTimeToRegainAccess
            logger.debug(
                "graph error",
                metadata: [
                    "graph.operation": "\(operation)", "graph.category": "\(detail.category)",
                    "graph.code": "\(detail.code.map(String.init) ?? "-")", "http.status": "\(response.status)",
                ])
            let isOAuth = detail.type == "OAuthException" && operation.hasPrefix("oauth")
            throw MetaError(
                isOAuth ? .oauthError : .graphError, message: "\(operation): \(detail)", graph: detail,
                retryAfter: retryAfter)
        }
        return Reply(status: response.status, body: response.body, usage: usage)
    }

    /// Decodes a reply body, or throws `MetaError(.malformedPayload)` naming the operation.
    func decode<T: Decodable>(_ type: T.Type, from reply: Reply, operation: String) throws -> T {
        if let fast = T.self as? any GraphFastDecodable.Type, let value = fast.fastDecoded(from: reply.body) as? T {
            return value
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(reply.body))
        } catch {
            throw MetaError(
                .malformedPayload, message: "\(operation): unexpected response shape (\(reply.body.count) bytes)")
        }
    }

    /// The error in a response: any non-2xx status, or a 2xx whose body is an error object.
    static func errorDetail(status: Int, body: [UInt8]) -> GraphErrorDetail? {
        if (200..<300).contains(status), !mayNameErrorMember(body) { return nil }
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        if let error = object?["error"] as? [String: Any] {
            return GraphErrorDetail(
                httpStatus: status, code: int(error["code"]), subcode: int(error["error_subcode"]),
                type: error["type"] as? String,
                message: (error["error_user_msg"] as? String).map { "\(error["message"] as? String ?? ""): \($0)" }
                    ?? error["message"] as? String ?? "no message",
                traceID: error["fbtrace_id"] as? String, isTransient: error["is_transient"] as? Bool)
        }
        if let object, let message = object["error_message"] as? String {
            return GraphErrorDetail(
                httpStatus: status, code: int(object["code"]), subcode: nil, type: object["error_type"] as? String,
                message: message, traceID: nil)
        }
        guard (200..<300).contains(status) else {
            let text = object?["error"] as? String ?? object?["error_description"] as? String ?? "HTTP \(status)"
            return GraphErrorDetail(
                httpStatus: status, code: nil, subcode: nil, type: nil, message: text, traceID: nil)
        }
        return nil
    }

    /// Whether a body could hold an `error` or `error_message` member: it has `"error` in it, or a `\u` escape
    /// that could spell those letters. `false` lets a 2xx reply skip parsing (the common case: a send or a profile).
    static func mayNameErrorMember(_ body: [UInt8]) -> Bool {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var index = 0
        let end = body.count - 1
        while index < end {
            let byte = body[index]
            if byte == backslash {
                if body[index + 1] == UInt8(ascii: "u") { return true }
                index += 2
                continue
            }
            if byte == quote, body.count - index >= 6, body[index + 1] == UInt8(ascii: "e"),
                body[index + 2] == UInt8(ascii: "r"), body[index + 3] == UInt8(ascii: "r"),
                body[index + 4] == UInt8(ascii: "o"), body[index + 5] == UInt8(ascii: "r")
            {
                return true
            }
            index += 1
        }
        return false
    }

    static func int(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let number = value as? Double { return Int(number) }
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String { return Int(text) }
        return nil
    }

    /// `Retry-After` as seconds or as an HTTP-date (RFC 9110), `nil` when absent or unreadable.
    static func retryAfter(_ header: String?, now: Date = Date()) -> Duration? {
        RetryAfter.delay(header, now: now)
    }
}
