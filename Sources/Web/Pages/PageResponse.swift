import HTTPTypes
public import Hummingbird

/// HTML responses and redirects with the headers every server-rendered page carries.
///
/// Headers: `Cache-Control: no-store` (pages show private data), `X-Content-Type-Options: nosniff`,
/// `X-Frame-Options: DENY`, `Referrer-Policy: same-origin` and a Content-Security-Policy that allows
/// only same-origin resources, inline styles and no inline scripts.
public enum PageResponse {
    /// The Content-Security-Policy of every page.
    public static let contentSecurityPolicy =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'self'; "
        + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

    /// The security headers of every page (without a content type).
    public static var securityHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        if let frame = HTTPField.Name("X-Frame-Options") { headers[frame] = "DENY" }
        if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "same-origin" }
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        return headers
    }

    /// An HTML document as a response.
    /// - Parameters:
    ///   - html: The whole document.
    ///   - status: The status (200 unless given).
    /// - Returns: The response with the security headers.
    public static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A `303 See Other` to a local path (after a POST, or to the login page).
    /// - Parameter path: A path on this server; anything that is not a plain local path becomes `/`,
    ///   so a `next=` parameter cannot send users to another site.
    /// - Returns: The redirect.
    public static func redirect(to path: String) -> Response {
        var headers = securityHeaders
        headers[.location] = isLocalPath(path) ? path : "/"
        return Response(status: .seeOther, headers: headers)
    }

    /// A small plain page for refusals (`403 Forbidden`) and errors, with no detail beyond `message`.
    /// - Parameters:
    ///   - status: The status.
    ///   - message: A short sentence for a human (escaped).
    /// - Returns: The response.
    public static func status(_ status: HTTPResponse.Status, message: String) -> Response {
        let text = escape(message)
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">\
            <meta name="viewport" content="width=device-width, initial-scale=1">\
            <title>\(status.code) \(escape(status.reasonPhrase))</title></head>\
            <body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">\
            <h1>\(status.code) \(escape(status.reasonPhrase))</h1><p>\(text)</p></body></html>
            """
        return Self.html(html, status: status)
    }

    /// Whether `path` is a path on this server: starts with one `/`, no `//`, no backslash, no scheme.
    /// Control characters (CR, LF …) are refused too, so a path cannot split a header.
    /// - Parameter path: The candidate.
    /// - Returns: `true` when a redirect there stays on this site.
    public static func isLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\") && !path.contains("://")
            && !path.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    /// Escapes text for HTML content and attribute values.
    /// - Parameter text: Untrusted text.
    /// - Returns: The text with `<`, `>`, `&`, `"` and `'` escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
