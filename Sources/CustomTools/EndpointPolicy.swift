import Foundation

/// Decides whether a tool endpoint URL may be called (SSRF protection).
///
/// Rules: `https://` only (`http://` only to loopback, when ``CustomToolSettings/allowsPlainHTTPOnLoopback``
/// and ``CustomToolSettings/allowsLoopback`` are on); no user info in the URL; every address the host resolves
/// to must be allowed by ``CustomToolSettings/allows(_:)`` (one refused address refuses the endpoint, so a
/// name with a public and a private record cannot slip through). Redirects are never followed by the client,
/// so a 3xx answer is a failed call, not a way around this check.
///
/// DNS rebinding: ``CustomToolExecutor`` resolves the name once (here) and pins the connection to the checked
/// addresses (``HTTP/HTTPRequest/resolvedAddresses``, curl `CURLOPT_RESOLVE`), so the client never resolves it again.
public struct EndpointPolicy: Sendable {
    /// The limits and allowances.
    public let settings: CustomToolSettings
    private let resolver: HostResolver

    /// Creates a policy.
    /// - Parameters:
    ///   - settings: what is allowed.
    ///   - resolver: the resolver; the system's by default.
    public init(settings: CustomToolSettings, resolver: HostResolver = .system) {
        self.settings = settings
        self.resolver = resolver
    }

    /// Checks the URL's form without any lookup (for `woodstock tools add`): scheme, user info, host, and the
    /// address kind when the host is a numeric address.
    /// - Parameter url: the endpoint URL.
    /// - Returns: the host name (without brackets).
    /// - Throws: ``CustomToolsError/Code/destinationRefused`` or ``CustomToolsError/Code/invalidDefinition``.
    @discardableResult
    public func checkForm(of url: String) throws -> String {
        guard url.count <= 2048, let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased()
        else {
            throw CustomToolsError(.invalidDefinition, message: "the endpoint is not a valid absolute URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw CustomToolsError(.invalidDefinition, message: "the endpoint URL has no host")
        }
        guard components.user == nil, components.password == nil else {
            throw CustomToolsError(.invalidDefinition, message: "the endpoint URL must not carry user info")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        switch scheme {
        case "https": break
        case "http" where settings.allowsPlainHTTPOnLoopback && settings.allowsLoopback:
            let literal = DestinationAddress(bare)
            guard literal?.kind == .loopback || (literal == nil && bare.lowercased() == "localhost") else {
                throw CustomToolsError(.destinationRefused, message: "plain http is allowed only to loopback")
            }
        default:
            throw CustomToolsError(.destinationRefused, message: "the endpoint must use https")
        }
        if let literal = DestinationAddress(bare), !settings.allows(literal.kind) {
            throw CustomToolsError(.destinationRefused, message: "\(literal.kind.rawValue) addresses are not allowed")
        }
        return bare
    }

    /// Checks the URL's form, resolves its host and checks every address.
    /// - Parameter url: the endpoint URL.
    /// - Returns: the addresses the host resolved to, all allowed.
    /// - Throws: ``CustomToolsError`` with `.destinationRefused`, `.unresolvable` or `.invalidDefinition`.
    @discardableResult
    public func check(_ url: String) async throws -> [DestinationAddress] {
        let host = try checkForm(of: url)
        let texts = DestinationAddress(host) != nil ? [host] : await resolver.addresses(of: host)
        let addresses = texts.compactMap(DestinationAddress.init)
        guard !addresses.isEmpty else {
            throw CustomToolsError(.unresolvable, message: "the endpoint's host name does not resolve")
        }
        if let refused = addresses.first(where: { !settings.allows($0.kind) }) {
            throw CustomToolsError(
                .destinationRefused, message: "the endpoint resolves to a \(refused.kind.rawValue) address")
        }
        if URLComponents(string: url)?.scheme?.lowercased() == "http", !addresses.allSatisfy({ $0.kind == .loopback }) {
            throw CustomToolsError(.destinationRefused, message: "plain http is allowed only to loopback")
        }
        return addresses
    }
}
