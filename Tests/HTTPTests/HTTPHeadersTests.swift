import Testing

@testable import HTTP

@Suite struct HTTPHeadersTests {
    @Test(
        "names match exactly when their lowercased forms are equal",
        arguments: [
            ("Content-Type", "content-type"), ("X-App-Usage", "x-app-usage"), ("X-A", "X-B"), ("Retry-After", "Retry"),
            ("", ""), ("a", ""), ("\u{212A}", "k"), ("\u{212A}ey", "KEY"), ("İd", "i̇d"), ("ÄB", "äb"), ("[", "{"),
            ("@", "`"), ("Z", "z"),
        ])
    func namesMatch(_ a: String, _ b: String) {
        #expect(HTTPHeaders.namesMatch(a, b) == (a.lowercased() == b.lowercased()))
        #expect(HTTPHeaders.namesMatch(b, a) == (a.lowercased() == b.lowercased()))
    }

    @Test("lookups are case-insensitive and keep order")
    func lookups() {
        let headers = HTTPHeaders([("Set-Cookie", "a"), ("content-type", "text/plain"), ("SET-COOKIE", "b")])
        #expect(headers["Content-Type"] == "text/plain")
        #expect(headers.values(for: "set-cookie") == ["a", "b"])
        #expect(headers["missing"] == nil)
    }
}

@Suite struct HTTPSchemeTests {
    @Test(
        "only http:// and https:// URLs are accepted, in any case, as lowercased().hasPrefix accepted them",
        arguments: [
            "http://a", "https://a/b?c", "HTTP://A", "HtTpS://x", "ftp://a", "http:/a", "https:a", "httpss://a", "",
            "http", "https://", "file:///etc/passwd", " http://a", "hxxp://a",
        ])
    func scheme(_ url: String) {
        let lower = url.lowercased()
        #expect(HTTPClient.hasHTTPScheme(url) == (lower.hasPrefix("http://") || lower.hasPrefix("https://")))
    }
}
