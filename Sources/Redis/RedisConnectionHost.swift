import Dispatch
import Synchronization

/// Owns one ``RedisConnection`` and the serial queue (its own thread) every call on it runs on.
///
/// The connection is dialed lazily and dropped when it breaks, so the next call dials again.
/// Invariant for `@unchecked Sendable`: `connection` is read and written only on `queue`;
/// the socket number for ``interrupt()`` is guarded by a `Mutex`, cleared before the connection is freed.
final class RedisConnectionHost: @unchecked Sendable {
    private let configuration: RedisConfiguration
    private let queue: DispatchQueue
    private var connection: RedisConnection?
    private let socket = Mutex<Int32?>(nil)
    private let commandTimeout: Duration?

    init(configuration: RedisConfiguration, label: String, commandTimeout: Duration?) {
        self.configuration = configuration
        self.commandTimeout = commandTimeout
        self.queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `body` with the connection on the host's own thread; the caller's task is suspended meanwhile.
    func perform<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, any Error>) in
            queue.async {
                continuation.resume(with: Result { try self.performHere(body) })
            }
        }
    }

    /// Like ``perform(_:)``, but cancelling the task shuts the socket down so a blocked read returns.
    func performInterruptible<T: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws -> T
    ) async throws -> T {
        try Task.checkCancellation()
        return try await withTaskCancellationHandler {
            try await perform(body)
        } onCancel: {
            interrupt()
        }
    }

    /// Shuts down the current socket (if any) from any thread.
    func interrupt() {
        socket.withLock { descriptor in
            if let descriptor { RedisConnection.interrupt(socket: descriptor) }
        }
    }

    /// Drops the connection (on its own queue) so no socket stays open.
    func close() {
        queue.async {
            self.socket.withLock { $0 = nil }
            self.connection = nil
        }
    }

    private func performHere<T>(_ body: (RedisConnection) throws -> T) throws -> T {
        let current: RedisConnection
        if let connection, !connection.isBroken {
            current = connection
        } else {
            socket.withLock { $0 = nil }
            connection = nil
            current = try RedisConnection(configuration: configuration, commandTimeout: commandTimeout)
            connection = current
            let descriptor = current.socketDescriptor
            socket.withLock { $0 = descriptor }
        }
        defer {
            if current.isBroken {
                socket.withLock { $0 = nil }
                connection = nil
            }
        }
        return try body(current)
    }
}
