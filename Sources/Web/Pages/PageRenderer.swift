public import Hummingbird
import Mustache

/// Renders server-side pages: a named mustache template with a context, wrapped in the shared layout.
///
/// `{{name}}` is HTML-escaped (`<`, `>`, `&`, `"`, `'`); only `{{{name}}}` inserts raw HTML, so never use
/// triple braces for anything a user or tenant typed. Contexts are dictionaries (`[String: Any]`) or
/// structs (read through `Mirror`); `{{#list}}…{{/list}}` iterates arrays.
///
/// Thread safety: immutable after `init`; share one renderer per process.
///
/// ```swift
/// let renderer = try PageRenderer(templates: [PageTemplate(name: "hello", source: "<p>Hi {{who}}</p>")])
/// let response = try renderer.page("hello", title: "Hello", context: ["who": name], chrome: chrome)
/// ```
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Creates a renderer that knows `templates` plus the shared ``PageTemplate/layout``.
    /// - Parameter templates: The pages (and partials) this renderer can render.
    /// - Throws: ``WebError`` `.templateInvalid` naming the template that does not parse.
    public init(templates: [PageTemplate]) throws {
        var library = MustacheLibrary()
        for template in [PageTemplate.layout] + templates {
            do {
                library.register(try MustacheTemplate(string: template.source), named: template.name)
            } catch {
                throw WebError(.templateInvalid, message: "template \(template.name): \(error)")
            }
        }
        self.library = library
    }

    /// Renders one template without the layout (a fragment, or a page that has its own `<html>`).
    /// - Parameters:
    ///   - name: The template's name.
    ///   - context: The values the template reads.
    /// - Returns: The HTML text.
    /// - Throws: ``WebError`` `.templateNotFound`.
    public func render(_ name: String, context: Any) throws -> String {
        guard let html = library.render(context, withTemplate: name) else {
            throw WebError(.templateNotFound, message: "no template named \(name)")
        }
        return html
    }

    /// Renders a template inside the shared layout.
    /// - Parameters:
    ///   - name: The template's name.
    ///   - title: The page title (escaped).
    ///   - context: The values the template reads; the session's CSRF token is added as `csrf`
    ///     when the context is a dictionary without one.
    ///   - chrome: Navigation, user and notice around the content.
    /// - Returns: The whole HTML document.
    /// - Throws: ``WebError`` `.templateNotFound`.
    public func renderPage(_ name: String, title: String, context: Any, chrome: PageChrome) throws -> String {
        var pageContext = context
        if var dictionary = context as? [String: Any], dictionary["csrf"] == nil, let csrf = chrome.csrfToken {
            dictionary["csrf"] = csrf
            pageContext = dictionary
        }
        let content = try render(name, context: pageContext)
        let layout: [String: Any] = [
            "title": title, "section": chrome.section, "content": content,
            "navigation": chrome.navigation.map { link -> [String: Any] in
                ["label": link.label, "href": link.href, "isCurrent": link.isCurrent]
            },
            "hasNavigation": !chrome.navigation.isEmpty,
            "userLabel": chrome.userLabel ?? "", "hasUser": chrome.userLabel != nil,
            "signOutPath": chrome.signOutPath ?? "", "hasSignOut": chrome.signOutPath != nil,
            "csrf": chrome.csrfToken ?? "", "notice": chrome.notice ?? "", "hasNotice": chrome.notice != nil,
            "noticeIsError": chrome.noticeIsError,
        ]
        return try render("layout", context: layout)
    }

    /// Renders a template inside the layout as an HTML response with the pages' security headers.
    /// - Parameters:
    ///   - name: The template's name.
    ///   - title: The page title.
    ///   - context: The values the template reads.
    ///   - chrome: Navigation, user and notice around the content.
    ///   - status: The HTTP status (200 unless given).
    /// - Returns: The response.
    /// - Throws: ``WebError`` `.templateNotFound`.
    public func page(
        _ name: String, title: String, context: Any, chrome: PageChrome = PageChrome(),
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        PageResponse.html(try renderPage(name, title: title, context: context, chrome: chrome), status: status)
    }
}
