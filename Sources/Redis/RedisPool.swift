import Synchronization

/// Leases connection hosts: at most `poolSize` exist; callers beyond that wait in order.
final class RedisPool: Sendable {
    private struct State: ~Copyable {
        var idle: [RedisConnectionHost] = []
        var created = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<RedisConnectionHost, any Error>)] = []
        var nextWaiterID = 0
        var isClosed = false
    }

    private let configuration: RedisConfiguration
    private let state = Mutex(State())
    /// Advanced when a connection breaks; shared with the client's multiplexed connection.
    let epoch = RedisConnectionEpoch()

    init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    func lease() async throws -> RedisConnectionHost {
        enum Decision { case ready(RedisConnectionHost), create, wait, closed }
        let decision: Decision = state.withLock { state in
            if state.isClosed { return .closed }
            if let host = state.idle.popLast() { return .ready(host) }
            if state.created < max(1, configuration.poolSize) {
                state.created += 1
                return .create
            }
            return .wait
        }
        switch decision {
        case .ready(let host): return host
        case .closed: throw RedisError(.poolClosed, message: "the Redis client was closed")
        case .create:
            return RedisConnectionHost(
                configuration: configuration,
                label: "redis.pool",
                commandTimeout: configuration.commandTimeout,
                epoch: epoch
            )
        case .wait: return try await waitForHost()
        }
    }

    func release(_ host: RedisConnectionHost) {
        let waiter: CheckedContinuation<RedisConnectionHost, any Error>? = state.withLock { state in
            if state.isClosed { return nil }
            if !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.idle.append(host)
            return nil
        }
        if let waiter { waiter.resume(returning: host) } else if state.withLock({ $0.isClosed }) { host.close() }
    }

    func close() {
        let (hosts, waiters) = state.withLock { state in
            state.isClosed = true
            let result = (state.idle, state.waiters.map(\.continuation))
            state.idle = []
            state.waiters = []
            return result
        }
        for host in hosts { host.close() }
        for waiter in waiters {
            waiter.resume(throwing: RedisError(.poolClosed, message: "the Redis client was closed"))
        }
    }

    private func waitForHost() async throws -> RedisConnectionHost {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let shouldFail = state.withLock { state in
                    if state.isClosed || Task.isCancelled { return true }
                    state.waiters.append((id, continuation))
                    return false
                }
                if shouldFail { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
