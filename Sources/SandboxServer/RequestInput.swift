import Foundation
import Hummingbird
import NIOCore

/// A request's parameters as Meta reads them: query string, form body and `Authorization: Bearer`.
struct RequestInput: Sendable {
    /// Path segments without an API version prefix such as `v22.0`.
    var segments: [String]
    /// The API version prefix, if the path had one.
    var version: String?
    /// Query parameters merged with form-encoded body parameters (the body wins).
    var parameters: [String: String]
    /// The raw body bytes.
    var body: [UInt8]
    /// The bearer token, else the `access_token` parameter.
    var token: String?

    static let maxBody = 1 << 20

    static func read(_ request: Request, context: some RequestContext) async throws -> RequestInput {
        var segments = request.uri.path.split(separator: "/").map(String.init)
        var version: String?
        if let first = segments.first, isVersion(first) {
            version = first
            segments.removeFirst()
        }
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            parameters[String(key)] = String(value)
        }
        var body: [UInt8] = []
        if request.method == .post || request.method == .put {
            var request = request
            let buffer = try await request.collectBody(upTo: maxBody)
            body = Array(buffer.readableBytesView)
            let contentType = request.headers[.contentType] ?? ""
            if contentType.hasPrefix("application/x-www-form-urlencoded") {
                for (key, value) in parseForm(String(decoding: body, as: UTF8.self)) { parameters[key] = value }
            }
        }
        var token = parameters["access_token"]
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { token = String(parts[1]) }
        }
        return RequestInput(segments: segments, version: version, parameters: parameters, body: body, token: token)
    }

    /// Whether `segment` looks like `v22.0`.
    static func isVersion(_ segment: String) -> Bool {
        guard segment.first == "v" else { return false }
        let parts = segment.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    /// Decodes `application/x-www-form-urlencoded` text (`+` is a space).
    static func parseForm(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (raw: Substring) -> String in
                let spaced = raw.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            guard let key = parts.first else { continue }
            result[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }

    /// The requested `fields`, split on commas.
    var fields: [String] {
        (parameters["fields"] ?? "").split(separator: ",").map(Self.trimmingSpaces)
    }

    /// `text` without leading and trailing spaces: what `trimmingCharacters(in: .whitespaces)` removes (tab and
    /// the Unicode space separators), without its Foundation bridging (4 % of the sandbox's CPU on profiles).
    static func trimmingSpaces(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        let isSpace = { (scalar: Unicode.Scalar) in
            scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
