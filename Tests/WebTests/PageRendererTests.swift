import Hummingbird
import Testing
import Web

@Suite struct PageRendererTests {
    static let renderer: PageRenderer? = try? PageRenderer(templates: [
        PageTemplate(name: "hello", source: "<p>Hi {{who}}</p><p>{{{trusted}}}</p>{{#items}}<i>{{.}}</i>{{/items}}")
    ])

    @Test("{{value}} is HTML-escaped, {{{value}}} is not")
    func escaping() throws {
        let renderer = try #require(Self.renderer)
        let html = try renderer.render(
            "hello", context: ["who": "<script>alert('x')</script> & \"q\"", "trusted": "<b>b</b>", "items": ["a<"]])
        #expect(html.contains("Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"))
        #expect(html.contains("<b>b</b>"))
        #expect(html.contains("<i>a&lt;</i>"))
        #expect(!html.contains("<script>"))
    }

    @Test("a page is wrapped in the layout with title, navigation, sign-out form and CSRF token")
    func layout() throws {
        let renderer = try #require(Self.renderer)
        let chrome = PageChrome(
            section: "Operator", navigation: [.init(label: "Queues", href: "/admin/queues")], userLabel: "admin",
            signOutPath: "/admin/logout", csrfToken: "tok123", notice: "Saved <ok>"
        ).current("/admin/queues")
        let html = try renderer.renderPage("hello", title: "Q & A", context: ["who": "you"], chrome: chrome)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<title>Q &amp; A · Woodstock Relay</title>"))
        #expect(html.contains("<a href=\"/admin/queues\" aria-current=\"page\">Queues</a>"))
        #expect(html.contains("action=\"/admin/logout\""))
        #expect(html.contains("name=\"_csrf\" value=\"tok123\""))
        #expect(html.contains("Saved &lt;ok&gt;"))
        #expect(html.contains("name=\"viewport\""))
    }

    @Test("an unknown template and a broken template are errors")
    func errors() throws {
        let renderer = try #require(Self.renderer)
        #expect(throws: WebError.self) { try renderer.render("nope", context: [:] as [String: String]) }
        #expect(throws: WebError.self) { try PageRenderer(templates: [PageTemplate(name: "bad", source: "{{#a}}")]) }
    }

    @Test("page responses carry the security headers")
    func headers() throws {
        let renderer = try #require(Self.renderer)
        let response = try renderer.page("hello", title: "t", context: ["who": "x"])
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        #expect(response.headers[.cacheControl] == "no-store")
        #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
    }

    @Test(
        "redirects stay on this site",
        arguments: [
            ("/admin/queues?x=1", true), ("//evil.example", false), ("https://evil.example", false),
            ("/\\evil", false), ("admin", false), ("/a\r\nSet-Cookie: x", false),
        ])
    func localPaths(_ path: String, _ isLocal: Bool) {
        #expect(PageResponse.isLocalPath(path) == isLocal)
        let location = PageResponse.redirect(to: path).headers[.location]
        #expect(location == (isLocal ? path : "/"))
    }

    @Test("urlencoded forms decode + and percent escapes, keep repeats in order")
    func forms() {
        let form = WebForm(parsing: "a=1&b=x+y%21&c&a=2&_csrf=t%2Bk")
        #expect(form["a"] == "1")
        #expect(form.values("a") == ["1", "2"])
        #expect(form["b"] == "x y!")
        #expect(form["c"] == "")
        #expect(form["_csrf"] == "t+k")
        #expect(form["missing"] == nil)
    }
}
