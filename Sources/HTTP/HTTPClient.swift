internal import CCurl
import Foundation
public import Logging

/// An HTTP client over libcurl's multi interface: any number of requests in flight, all driven by one
/// dedicated thread (never Swift's cooperative pool), each awaited with `async`/`await`.
///
/// ```swift
/// let client = try HTTPClient(configuration: .init(totalTimeout: .seconds(20)), logger: logger)
/// let response = try await client.execute(HTTPRequest(url: "https://example.com/"))
/// print(response.status)
/// await client.shutdown()
/// ```
///
/// - TLS: peer and host verification are always on; there is no option to turn them off.
/// - Cancellation: cancelling the task that awaits ``execute(_:)`` removes its transfer from curl at once and
///   throws `CancellationError`.
/// - Errors: ``HTTPError`` with `.timeout` (a clear message naming the timeouts), `.transport` (curl's text),
///   `.invalidRequest`, `.responseTooLarge` or `.clientShutdown`. Messages carry `METHOD scheme://host/path`,
///   never a query string, header value or body.
/// - Thread safety: all methods may be called from any task concurrently.
/// - Shutdown: call ``shutdown()`` once; requests in flight then fail with `.clientShutdown`. Dropping the last
///   reference also stops the thread.
public final class HTTPClient: Sendable {
    /// The settings this client was created with.
    public let configuration: HTTPClientConfiguration
    let loop: CurlMultiLoop
    private let logger: Logger

    /// Creates a client and starts its curl thread.
    /// - Parameters:
    ///   - configuration: timeouts and limits.
    ///   - logger: receives debug lines about the loop (never URLs with queries, headers or bodies).
    /// - Throws: `HTTPError(.transport)` if curl cannot be initialised.
    public init(configuration: HTTPClientConfiguration = .init(), logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        loop = try CurlMultiLoop(
            maxConnectionsPerHost: configuration.maxConnectionsPerHost,
            idleConnectionCacheSize: configuration.idleConnectionCacheSize, logger: logger)
    }

    deinit { loop.requestShutdown() }

    /// Sends a request and waits for the whole response.
    ///
    /// Any status code is a response, not an error; check ``HTTPResponse/status``.
    /// - Parameter request: the request.
    /// - Returns: the final response with its body.
    /// - Throws: ``HTTPError`` (see the type's documentation) or `CancellationError` when the task was cancelled.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = try makeTransfer(for: request)
        return try await run(transfer)
    }

    /// Stops the curl thread after failing every transfer in flight with `HTTPError(.clientShutdown)`.
    /// Later requests fail at once with the same error. Safe to call more than once.
    public func shutdown() async {
        await loop.shutdown()
    }

    func run(_ transfer: CurlTransfer) async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard transfer.start(continuation) else { return }
                if !loop.submit(transfer) {
                    transfer.finish(
                        .failure(HTTPError(.clientShutdown, message: "\(transfer.label): client shut down")))
                }
            }
        } onCancel: {
            if transfer.markCancelled() { loop.cancel(transfer) }
        }
    }

    private func makeTransfer(for request: HTTPRequest) throws -> CurlTransfer {
        guard Self.hasHTTPScheme(request.url) else {
            throw HTTPError(.invalidRequest, message: "\(request): only http and https URLs are allowed")
        }
        for field in request.headers {
            guard field.name.isValidHeaderText, field.value.isValidHeaderText, !field.name.isEmpty,
                !field.name.utf8.contains(UInt8(ascii: ":"))
            else {
                throw HTTPError(
                    .invalidRequest, message: "\(request): invalid header field '\(field.name.prefix(40))'")
            }
        }
        let transfer = try CurlTransfer(
            labelPrefix: request.method.rawValue, url: request.url, maxResponseBytes: configuration.maxResponseBytes,
            timeout: request.timeout ?? configuration.totalTimeout, connectTimeout: configuration.connectTimeout)
        try transfer.set(CURLOPT_URL, request.url)
        try transfer.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try transfer.set(CURLOPT_ACCEPT_ENCODING, "")
        try transfer.set(CURLOPT_USERAGENT, configuration.userAgent)
        if let caBundlePath = configuration.caBundlePath { try transfer.set(CURLOPT_CAINFO, caBundlePath) }
        switch request.method {
        case .get where request.body == nil: try transfer.set(CURLOPT_HTTPGET, 1)
        case .head: try transfer.set(CURLOPT_NOBODY, 1)
        case .post: try transfer.setPostBody(request.body ?? [])
        default:
            try transfer.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            if let body = request.body { try transfer.setPostBody(body) }
        }
        if !request.resolvedAddresses.isEmpty, let pin = try Self.resolvePin(for: request, label: request.description) {
            try transfer.set(CURLOPT_RESOLVE, list: [pin])
        }
        // "Expect:" stops curl from waiting for 100 Continue before large bodies.
        let lines = request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"]
        try transfer.set(CURLOPT_HTTPHEADER, list: lines)
        return transfer
    }
}

extension HTTPClient {
    /// The `CURLOPT_RESOLVE` entry `host:port:addr[,addr…]` pinning the request's host to its
    /// ``HTTPRequest/resolvedAddresses``, or `nil` when there is nothing to pin.
    /// - Throws: `HTTPError(.invalidRequest)` for an address that is not numeric or a URL without a host.
    static func resolvePin(for request: HTTPRequest, label: String) throws -> String? {
        guard !request.resolvedAddresses.isEmpty else { return nil }
        guard let components = URLComponents(string: request.url), let rawHost = components.host, !rawHost.isEmpty
        else {
            throw HTTPError(.invalidRequest, message: "\(label): no host to pin")
        }
        let host = rawHost.hasPrefix("[") ? String(rawHost.dropFirst().dropLast()) : rawHost
        if host.contains(":") || host.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) { return nil }
        var addresses: [String] = []
        for address in request.resolvedAddresses {
            guard let family = Self.numericFamily(address) else {
                throw HTTPError(.invalidRequest, message: "\(label): pinned address is not a numeric IP address")
            }
            addresses.append(family == AF_INET6 ? "[\(address)]" : address)
        }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(host):\(port):\(addresses.joined(separator: ","))"
    }

    /// `AF_INET` or `AF_INET6` when `text` is a numeric address in that family (`inet_pton`), else `nil`.
    static func numericFamily(_ text: String) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 16)
        for family in [AF_INET, AF_INET6] where inet_pton(family, text, &buffer) == 1 {
            return family
        }
        return nil
    }
}

extension HTTPClient {
    /// Whether `url` starts with `http://` or `https://`, in any case (without lowercasing the whole URL).
    static func hasHTTPScheme(_ url: String) -> Bool {
        var utf8 = url.utf8.makeIterator()
        for expected in "http".utf8 {
            guard let byte = utf8.next(), byte | 0x20 == expected else { return false }
        }
        var next = utf8.next()
        if next.map({ $0 | 0x20 }) == UInt8(ascii: "s") { next = utf8.next() }
        return next == UInt8(ascii: ":") && utf8.next() == UInt8(ascii: "/") && utf8.next() == UInt8(ascii: "/")
    }
}

extension String {
    /// No CR, LF or NUL: such characters would let a value inject header lines or SMTP commands.
    var isValidHeaderText: Bool {
        !utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
    }
}
