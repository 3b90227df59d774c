/// Settings for an ``HTTPClient``. TLS peer and host verification are always on and cannot be turned off.
public struct HTTPClientConfiguration: Sendable {
    /// Time allowed to establish a connection (TCP + TLS). Default 5 s.
    public var connectTimeout: Duration
    /// Time allowed for a whole request, connect included, unless the request sets its own. Default 30 s.
    public var totalTimeout: Duration
    /// Responses with a larger body fail with `HTTPError(.responseTooLarge)`. Default 8 MiB.
    public var maxResponseBytes: Int
    /// At most this many connections to one host at once; 0 means no limit (transfers queue inside curl when
    /// the limit is reached). Default 0.
    public var maxConnectionsPerHost: Int
    /// Idle keep-alive connections kept for reuse (`CURLMOPT_MAXCONNECTS`). curl's default follows the number of
    /// transfers in flight, so after a burst it closed most connections and the next burst dialled them again.
    /// Default 1,024.
    public var idleConnectionCacheSize: Int
    /// The `User-Agent` header sent unless a request sets one.
    public var userAgent: String
    /// A CA bundle file to trust instead of the system's, e.g. for a test server. `nil` uses the system store.
    public var caBundlePath: String?

    /// Creates a configuration; every parameter has the documented default.
    /// - Parameters:
    ///   - connectTimeout: connect timeout.
    ///   - totalTimeout: total timeout per request.
    ///   - maxResponseBytes: the largest body accepted.
    ///   - maxConnectionsPerHost: per-host connection cap, 0 for none.
    ///   - userAgent: the default `User-Agent`.
    ///   - caBundlePath: an alternative CA bundle.
    public init(
        connectTimeout: Duration = .seconds(5), totalTimeout: Duration = .seconds(30),
        maxResponseBytes: Int = 8 << 20, maxConnectionsPerHost: Int = 0, userAgent: String = "woodstock-relay",
        caBundlePath: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxConnectionsPerHost = maxConnectionsPerHost
        idleConnectionCacheSize = 1_024
        self.userAgent = userAgent
        self.caBundlePath = caBundlePath
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 (curl treats 0 as "no timeout").
    var clampedMilliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return max(1, Int(clamping: ms))
    }
}
