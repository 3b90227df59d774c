import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A cookie jar of one browser against the tenant pages in a router test: the session cookie and the CSRF
/// token the last page showed.
struct TenantPageClient {
    var cookie: String?
    var csrf: String?

    /// The session cookie's `name=value` from a response, if it set one.
    static func sessionCookie(_ response: TestResponse) -> String? {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";").first.map(String.init) ?? ""
            if pair.hasPrefix("woodstock_tenant=") { return pair }
        }
        return nil
    }

    /// The `_csrf` value in a page, if any.
    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    mutating func get(_ client: some TestClientProtocol, _ path: String) async throws -> TestResponse {
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: path, method: .get, headers: headers)
        remember(response)
        return response
    }

    mutating func post(
        _ client: some TestClientProtocol, _ path: String, _ fields: [(String, String)], withCSRF: Bool = true
    ) async throws -> TestResponse {
        var all = fields
        if withCSRF, let csrf { all.append(("_csrf", csrf)) }
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(
            uri: path, method: .post, headers: headers, body: ByteBuffer(string: Self.encode(all)))
        remember(response)
        return response
    }

    mutating func remember(_ response: TestResponse) {
        if let cookie = Self.sessionCookie(response) { self.cookie = cookie }
        if let csrf = Self.csrfToken(in: Self.text(response)) { self.csrf = csrf }
    }

    /// Logs in with a password and loads `/tenant` (for its CSRF token).
    mutating func logIn(_ client: some TestClientProtocol, email: String, password: String) async throws {
        _ = try await get(client, "/tenant/login")
        let response = try await post(client, "/tenant/login/password", [("email", email), ("password", password)])
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/tenant")
        let page = try await get(client, "/tenant")
        #expect(page.status == .ok)
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
