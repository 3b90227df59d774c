public import HTTP

/// Limits and network policy for tenants' custom tools, with documented defaults.
///
/// The defaults are for production: https only, public addresses only. Tests and the demo point tools at a
/// local server by allowing loopback (and, for plain `http://`, ``allowsPlainHTTPOnLoopback``).
public struct CustomToolSettings: Sendable {
    /// Allow endpoints on loopback addresses (`127.0.0.0/8`, `::1`). Default `false`.
    /// `WOODSTOCK_TOOLS_ALLOW_LOOPBACK`.
    public var allowsLoopback: Bool
    /// Allow private, carrier-grade NAT, unique-local and link-local addresses. Default `false`.
    /// `WOODSTOCK_TOOLS_ALLOW_PRIVATE`.
    public var allowsPrivateNetworks: Bool
    /// Allow `http://` (no TLS), but only to loopback addresses and only when ``allowsLoopback`` is on.
    /// Default `false`. `WOODSTOCK_TOOLS_ALLOW_HTTP`.
    public var allowsPlainHTTPOnLoopback: Bool
    /// A CA bundle to trust for tool endpoints instead of the system store (a test server's self-signed
    /// certificate). `WOODSTOCK_TOOLS_CA_FILE`.
    public var caBundlePath: String?
    /// A tool's timeout when it names none. Default 5 s.
    public var defaultTimeout: Duration
    /// The longest timeout a tool may have. Default 10 s. `WOODSTOCK_TOOLS_MAX_TIMEOUT_MS`.
    public var maximumTimeout: Duration
    /// Answers larger than this fail as ``CustomToolsError/Code/responseTooLarge``. Default 64 KiB.
    public var maximumResponseBytes: Int
    /// The most tools one tenant may have. Default 16.
    public var maximumToolsPerTenant: Int
    /// The largest parameters schema, as compact JSON. Default 8 KiB.
    public var maximumSchemaBytes: Int
    /// The longest description, in characters. Default 1,024.
    public var maximumDescriptionLength: Int

    /// Creates settings; every parameter has the documented default.
    /// - Parameters:
    ///   - allowsLoopback: loopback endpoints.
    ///   - allowsPrivateNetworks: private and link-local endpoints.
    ///   - allowsPlainHTTPOnLoopback: `http://` to loopback.
    ///   - caBundlePath: an alternative CA bundle.
    ///   - defaultTimeout: the default call timeout.
    ///   - maximumTimeout: the timeout cap.
    ///   - maximumResponseBytes: the answer size cap.
    ///   - maximumToolsPerTenant: the per-tenant tool cap.
    ///   - maximumSchemaBytes: the schema size cap.
    ///   - maximumDescriptionLength: the description length cap.
    public init(
        allowsLoopback: Bool = false, allowsPrivateNetworks: Bool = false, allowsPlainHTTPOnLoopback: Bool = false,
        caBundlePath: String? = nil, defaultTimeout: Duration = .seconds(5), maximumTimeout: Duration = .seconds(10),
        maximumResponseBytes: Int = 64 << 10, maximumToolsPerTenant: Int = 16, maximumSchemaBytes: Int = 8 << 10,
        maximumDescriptionLength: Int = 1024
    ) {
        self.allowsLoopback = allowsLoopback
        self.allowsPrivateNetworks = allowsPrivateNetworks
        self.allowsPlainHTTPOnLoopback = allowsPlainHTTPOnLoopback
        self.caBundlePath = caBundlePath
        self.defaultTimeout = defaultTimeout
        self.maximumTimeout = max(.milliseconds(100), maximumTimeout)
        self.maximumResponseBytes = max(1024, maximumResponseBytes)
        self.maximumToolsPerTenant = max(0, maximumToolsPerTenant)
        self.maximumSchemaBytes = max(64, maximumSchemaBytes)
        self.maximumDescriptionLength = max(1, maximumDescriptionLength)
    }

    /// The configuration of the HTTP client dedicated to tool calls: a 3 s connect timeout, the response cap
    /// and the CA bundle (a separate client keeps slow tenant endpoints away from Graph and LLM traffic).
    public var httpConfiguration: HTTPClientConfiguration {
        HTTPClientConfiguration(
            connectTimeout: .seconds(3), totalTimeout: maximumTimeout, maxResponseBytes: maximumResponseBytes,
            userAgent: "woodstock-relay-tools", caBundlePath: caBundlePath)
    }

    /// Whether an address of this kind may be called.
    /// - Parameter kind: the address kind.
    /// - Returns: `true` for global addresses, and for loopback/private ones when allowed; never for reserved.
    public func allows(_ kind: DestinationAddress.Kind) -> Bool {
        switch kind {
        case .global: true
        case .loopback: allowsLoopback
        case .privateNetwork, .linkLocal: allowsPrivateNetworks
        case .reserved: false
        }
    }
}
