/// A complete HTTP response: status, headers and the whole body.
public struct HTTPResponse: Sendable, CustomStringConvertible {
    /// The status code of the final response (after any `100 Continue`).
    public let status: Int
    /// The header fields of the final response.
    public let headers: HTTPHeaders
    /// The body bytes.
    public let body: [UInt8]

    /// Creates a response (the client builds these; tests may too).
    /// - Parameters:
    ///   - status: the status code.
    ///   - headers: the header fields.
    ///   - body: the body bytes.
    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid sequences repaired).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// Status and body size; the body itself is never printed.
    public var description: String { "HTTPResponse(status: \(status), body: \(body.count) bytes)" }
}
