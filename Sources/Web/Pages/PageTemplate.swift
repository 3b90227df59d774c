/// One named mustache template, with its source compiled into the binary.
///
/// Put the file under `Sources/Web/Templates/` (`portal-inbox.mustache`): SwiftPM embeds every file there
/// (`.embedInCode`), so it works from `swift build` and from an installed binary alike, and exposes it as
/// `PackageResources.portal_inbox_mustache`:
///
/// ```swift
/// let inbox = PageTemplate(name: "portal-inbox", embedded: PackageResources.portal_inbox_mustache)
/// let renderer = try PageRenderer(templates: [inbox])
/// ```
public struct PageTemplate: Sendable, Hashable {
    /// The name pages are rendered by (and partials are included by: `{{> name}}`).
    public let name: String
    /// The mustache source.
    public let source: String

    /// Creates a template from source text.
    /// - Parameters:
    ///   - name: The template's name.
    ///   - source: The mustache source.
    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// Creates a template from an embedded resource's bytes (`PackageResources.<file>_mustache`).
    /// - Parameters:
    ///   - name: The template's name.
    ///   - embedded: The file's UTF-8 bytes.
    public init(name: String, embedded: [UInt8]) {
        self.init(name: name, source: String(decoding: embedded, as: UTF8.self))
    }

    /// The shared base layout every page is wrapped in (`layout.mustache`).
    public static var layout: PageTemplate { PageTemplate(name: "layout", embedded: PackageResources.layout_mustache) }
}
