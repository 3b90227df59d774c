import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Response helpers of the webchat routes: JSON bodies, CORS headers and the header names they read.
enum WebchatHTTP {
    /// `X-Webchat-Token`.
    static let tokenField = HTTPField.Name(WebchatVisitorTokens.headerName) ?? .authorization
    /// `Last-Event-ID`, sent by a reconnecting event stream.
    static let lastEventIDField = HTTPField.Name("Last-Event-ID") ?? .authorization

    /// The CORS headers for an allowed `origin` (none without an `Origin` header).
    static func cors(_ origin: String?) -> HTTPFields {
        var fields: HTTPFields = [.vary: "Origin"]
        guard let origin else { return fields }
        fields[.accessControlAllowOrigin] = origin
        fields[.accessControlExposeHeaders] = "Retry-After"
        return fields
    }

    /// The answer to a preflight `OPTIONS` request from an allowed origin.
    static func preflight(_ origin: String?) -> Response {
        var fields = cors(origin)
        fields[.accessControlAllowMethods] = "GET, POST, OPTIONS"
        fields[.accessControlAllowHeaders] = "Content-Type, \(WebchatVisitorTokens.headerName), Last-Event-ID"
        fields[.accessControlMaxAge] = "600"
        return Response(status: .noContent, headers: fields)
    }

    /// A JSON response: `{"error": message}` for errors, or an encoded value.
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable, origin: String?) -> Response {
        var fields = cors(origin)
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        let bytes = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `{"error": message}` with `status`.
    static func error(_ status: HTTPResponse.Status, _ message: String, origin: String?) -> Response {
        json(status, ["error": message], origin: origin)
    }
}

/// The body of `POST /webchat/{tenant}/messages`.
struct WebchatPostedMessage: Decodable {
    let text: String
}

/// The answer to `POST /webchat/{tenant}/messages` (202).
struct WebchatAccepted: Encodable {
    let id: String
    let eventID: String
}

/// The answer to `POST /webchat/{tenant}/visitors` (201).
struct WebchatVisitorIssued: Encodable {
    let visitorID: String
    let token: String
}
