import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

@testable import SandboxServer

/// Runs `body` against a fresh in-process sandbox through HummingbirdTesting's router framework.
func withSandbox<Value: Sendable>(
    _ configuration: SandboxConfiguration = SandboxConfiguration(),
    _ body: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    let sandbox = SandboxServer(configuration: configuration, logger: Logger(label: "sandbox.test"))
    return try await sandbox.makeApplication(host: "127.0.0.1", port: 0).test(.router, body)
}

/// Decodes a response body as loose JSON.
func json(_ buffer: ByteBuffer) throws -> JSONValue {
    guard let value = JSONValue.parse(Array(buffer.readableBytesView)) else {
        throw SandboxTestError(message: "not JSON: \(String(buffer: buffer))")
    }
    return value
}

struct SandboxTestError: Error {
    var message: String
}

extension ByteBuffer {
    /// A buffer holding `text` in UTF-8.
    static func text(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}
