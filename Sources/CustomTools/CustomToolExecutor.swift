import Assistant
import Foundation
public import HTTP
public import Logging
import Vault

/// Calls a tenant's tool: checks the endpoint (SSRF policy), POSTs the signed JSON body, and turns the answer
/// into the text the model reads.
///
/// ```swift
/// let executor = CustomToolExecutor(
///     http: try HTTPClient(configuration: settings.httpConfiguration, logger: logger), settings: settings,
///     logger: logger)
/// let text = try await executor.execute(call)  // or a CustomToolsError the model can read
/// ```
///
/// Request: `POST <endpoint>` with `Content-Type: application/json`, ``WebhookSignature/timestampHeader`` and
/// ``WebhookSignature/signatureHeader``, body `{"arguments","call_id","conversation_id","tenant_id","tool"}`.
/// Answer: any 2xx with a JSON body: `{"result": …}` gives the model `result` (a string as is, anything else as
/// compact JSON), `{"error": "…"}` fails the call with that text, any other JSON is given to the model as it is.
/// Every failure (refused destination, timeout, non-2xx, too large, not JSON) throws ``CustomToolsError``, whose
/// description is safe for the model and the log: no URL, secret or body. Thread-safe.
public struct CustomToolExecutor: Sendable {
    private let http: HTTPClient
    private let policy: EndpointPolicy
    private let logger: Logger
    private let clock: @Sendable () -> Int

    /// Creates an executor.
    /// - Parameters:
    ///   - http: a client for tool calls, ideally built from ``CustomToolSettings/httpConfiguration``.
    ///   - settings: limits and network policy.
    ///   - resolver: resolves endpoint host names; the system's by default.
    ///   - logger: one line per call (tool name, tenant, status, duration; never URL, secret or body).
    ///   - clock: Unix seconds for the timestamp header (tests pin it); the system clock by default.
    public init(
        http: HTTPClient, settings: CustomToolSettings, resolver: HostResolver = .system, logger: Logger,
        clock: (@Sendable () -> Int)? = nil
    ) {
        self.http = http
        self.policy = EndpointPolicy(settings: settings, resolver: resolver)
        self.logger = logger
        self.clock = clock ?? { Int(Date().timeIntervalSince1970) }
    }

    /// Makes the call.
    /// - Parameter call: the call.
    /// - Returns: the text for the model (not yet cut; the assistant caps tool results).
    /// - Throws: ``CustomToolsError``; `CancellationError` when the task is cancelled.
    public func execute(_ call: CustomToolCall) async throws -> String {
        var logger = logger
        logger[metadataKey: "tool.name"] = "\(call.toolName)"
        logger[metadataKey: "tool.call_id"] = "\(call.callID)"
        logger[metadataKey: "tenant.id"] = "\(call.tenantID)"
        let started = ContinuousClock.now
        do {
            let (status, text) = try await send(call)
            logger.info(
                "custom tool called", metadata: ["http.status": "\(status)", "duration.ms": "\(started.elapsedMs)"])
            return text
        } catch let error as CustomToolsError {
            logger.warning(
                "custom tool failed",
                metadata: [
                    "error.code": "\(error.code)", "http.status": "\(error.status.map(String.init) ?? "-")",
                    "duration.ms": "\(started.elapsedMs)",
                ])
            throw error
        }
    }

    private func send(_ call: CustomToolCall) async throws -> (Int, String) {
        // Resolve once, check every address, and connect only to those: the client must not resolve the name
        // again (DNS rebinding could turn an approved name into a private address between check and connect).
        let addresses = try await policy.check(call.endpointURL)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body: [UInt8]
        do {
            body = Array(
                try encoder.encode(
                    CustomToolCall.Body(
                        tool: call.toolName, arguments: call.arguments, tenantID: call.tenantID,
                        conversationID: call.conversationID, callID: call.callID)))
        } catch {
            throw CustomToolsError(.invalidDefinition, message: "tool \(call.toolName): arguments not encodable")
        }
        let timestamp = clock()
        let signature: String
        do {
            signature = try WebhookSignature.sign(body: body, timestamp: timestamp, secret: call.secret.revealedBytes())
        } catch {
            throw CustomToolsError(.secretUnavailable, message: "tool \(call.toolName): signing failed")
        }
        let timeout = min(call.timeout, policy.settings.maximumTimeout)
        var request = HTTPRequest(
            method: .post, url: call.endpointURL,
            headers: [
                "Content-Type": "application/json", "Accept": "application/json",
                WebhookSignature.timestampHeader: String(timestamp), WebhookSignature.signatureHeader: signature,
            ],
            body: body, timeout: timeout)
        request.resolvedAddresses = addresses.map(\.description)
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPError {
            throw Self.map(error, tool: call.toolName, timeout: timeout)
        }
        guard response.isSuccess else {
            throw CustomToolsError(
                .httpStatus, message: "tool \(call.toolName) answered HTTP \(response.status)", status: response.status)
        }
        guard response.body.count <= policy.settings.maximumResponseBytes else {
            throw Self.tooLarge(call.toolName, cap: policy.settings.maximumResponseBytes)
        }
        return (response.status, try Self.text(of: response.body, tool: call.toolName))
    }

    /// The model's text from a 2xx body.
    static func text(of body: [UInt8], tool: String) throws -> String {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw CustomToolsError(.invalidResponse, message: "tool \(tool) did not answer with JSON")
        }
        if case .object(let members) = value {
            if let error = members["error"], error != .null, members["result"] == nil {
                let text = error.stringValue ?? error.jsonString
                throw CustomToolsError(.toolReportedError, message: "tool \(tool) reported: \(text.prefix(300))")
            }
            if let result = members["result"] { return result.stringValue ?? result.jsonString }
        }
        return value.jsonString
    }

    static func map(_ error: HTTPError, tool: String, timeout: Duration) -> CustomToolsError {
        if error.code == .timeout {
            return CustomToolsError(.timeout, message: "tool \(tool) did not answer within \(timeout)")
        }
        if error.code == .responseTooLarge { return tooLarge(tool, cap: nil) }
        return CustomToolsError(.unreachable, message: "tool \(tool) could not be reached")
    }

    static func tooLarge(_ tool: String, cap: Int?) -> CustomToolsError {
        CustomToolsError(
            .responseTooLarge,
            message: "tool \(tool) answered more than \(cap.map { "\($0) bytes" } ?? "the size limit")")
    }
}

extension ContinuousClock.Instant {
    fileprivate var elapsedMs: Int {
        let (seconds, attoseconds) = (ContinuousClock.now - self).components
        return Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
