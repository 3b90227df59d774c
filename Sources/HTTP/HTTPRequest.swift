import Foundation

/// One HTTP request for ``HTTPClient/execute(_:)``.
///
/// ```swift
/// var request = HTTPRequest(method: .post, url: "https://graph.instagram.com/v24.0/me/messages")
/// request.headers.add(name: "Authorization", value: "Bearer \(token)")
/// request.headers.add(name: "Content-Type", value: "application/json")
/// request.body = Array(json.utf8)
/// ```
///
/// `description` shows the method and the URL without its query string; headers' values and the body are never
/// shown, so a request may be logged.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    /// The request method (`GET`, `POST`, …).
    public var method: HTTPMethod
    /// The absolute `http://` or `https://` URL. Put no secret in it: tokens go in headers.
    public var url: String
    /// The request header fields.
    public var headers: HTTPHeaders
    /// The request body, or `nil` for none.
    public var body: [UInt8]?
    /// A total timeout for this request, overriding ``HTTPClientConfiguration/totalTimeout``.
    public var timeout: Duration?
    /// Numeric IPv4/IPv6 addresses to connect to instead of resolving the URL's host name (curl
    /// `CURLOPT_RESOLVE`): the request cannot reach any other address, e.g. after an SSRF check approved these
    /// (no DNS rebinding between the check and the connection). TLS still verifies the certificate against the
    /// host name. Empty (the default): the host is resolved as usual. Ignored when the host is a numeric address.
    /// The pin is also used by the same client's later requests to that host and port until they pin again.
    public var resolvedAddresses: [String] = []

    /// Creates a request.
    /// - Parameters:
    ///   - method: the method; `GET` by default.
    ///   - url: an absolute http(s) URL.
    ///   - headers: header fields.
    ///   - body: the body bytes, if any.
    ///   - timeout: a per-request total timeout, if any.
    public init(
        method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// `METHOD scheme://host/path`, without the query string.
    public var description: String { "\(method) \(URLRedaction.withoutQuery(url))" }
}

/// An HTTP method name.
public struct HTTPMethod: Hashable, Sendable, CustomStringConvertible {
    /// The method token as sent on the wire.
    public let rawValue: String

    /// Creates a method from its token, e.g. `"PROPFIND"`.
    /// - Parameter rawValue: the method token.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// `GET`
    public static let get = HTTPMethod("GET")
    /// `POST`
    public static let post = HTTPMethod("POST")
    /// `PUT`
    public static let put = HTTPMethod("PUT")
    /// `PATCH`
    public static let patch = HTTPMethod("PATCH")
    /// `DELETE`
    public static let delete = HTTPMethod("DELETE")
    /// `HEAD`
    public static let head = HTTPMethod("HEAD")

    /// The method token.
    public var description: String { rawValue }
}

/// Makes URLs safe for logs and errors.
enum URLRedaction {
    /// `scheme://host[:port]/path` — no query, no fragment, no user info.
    static func withoutQuery(_ url: String) -> String {
        var rest = Substring(url)
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        guard let schemeEnd = rest.range(of: "://") else { return String(rest) }
        let scheme = rest[..<schemeEnd.lowerBound]
        var authorityAndPath = rest[schemeEnd.upperBound...]
        let pathStart = authorityAndPath.firstIndex(of: "/") ?? authorityAndPath.endIndex
        if let at = authorityAndPath[..<pathStart].lastIndex(of: "@") {
            authorityAndPath = authorityAndPath[authorityAndPath.index(after: at)...]
        }
        return "\(scheme)://\(authorityAndPath)"
    }
}
