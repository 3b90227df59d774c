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
    /// Cluster mode: the other nodes' sockets of the current connection, shut down by ``interrupt()`` too.
    private let linkedSockets = Mutex<RedisLinkedSockets?>(nil)
    private let commandTimeout: Duration?
    private let epoch: RedisConnectionEpoch?
    private var connectionEpoch = 0

    init(
        configuration: RedisConfiguration, label: String, commandTimeout: Duration?, epoch: RedisConnectionEpoch? = nil
    ) {
        self.configuration = configuration
        self.commandTimeout = commandTimeout
        self.epoch = epoch
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
        linkedSockets.withLock { $0?.interruptAll() }
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
        let currentEpoch = epoch?.value ?? 0
        if let connection, !connection.isBroken, connectionEpoch >= currentEpoch {
            current = connection
        } else {
            socket.withLock { $0 = nil }
            connection = nil
            current = try RedisConnection.open(configuration: configuration, commandTimeout: commandTimeout)
            connection = current
            connectionEpoch = currentEpoch
            let descriptor = current.socketDescriptor
            socket.withLock { $0 = descriptor }
            let linked = current.linkedSockets
            linkedSockets.withLock { $0 = linked }
        }
        defer {
            if current.isBroken {
                epoch?.advance(past: connectionEpoch)
                socket.withLock { $0 = nil }
                connection = nil
            }
        }
        return try body(current)
    }
}

/// Shared by the connections of one pool: when one connection breaks (server restarted, network lost),
/// the epoch advances and every pooled connection dialed before it re-dials before its next command,
/// so a restart costs one failed command instead of one per pooled connection.
final class RedisConnectionEpoch: Sendable {
    private let current = Atomic<Int>(0)

    var value: Int { current.load(ordering: .acquiring) }

    /// Advances the epoch once per failure generation (concurrent failures of the same epoch advance it once).
    func advance(past observed: Int) {
        _ = current.compareExchange(expected: observed, desired: observed + 1, ordering: .acquiringAndReleasing)
    }
}
