import Foundation
import Glibc
import Synchronization

/// One standalone connection shared by many concurrent callers, with automatic pipelining.
///
/// A caller encodes its command straight into the outbound buffer under a lock and suspends; the
/// connection's own I/O thread writes everything queued in one `write(2)`, reads the replies with hiredis's
/// reader and resumes the callers in order. Commands queued while earlier ones are in flight go out together,
/// so many callers cost few system calls and thread wakes on both sides. The I/O thread is woken (through a
/// pipe) only when it is idle; it dials lazily and re-dials after a failure.
///
/// Only for commands that neither block nor change the connection's state (see ``canMultiplex(_:)``); a
/// failure (I/O error, protocol error, command timeout) fails every command in flight on the connection.
/// Invariant for `@unchecked Sendable`: `state` is guarded by its `Mutex`; the wake pipe's descriptors are
/// immutable after `init`; everything else is touched only by the I/O thread (`+IO`).
final class RedisConnectionMultiplexer: @unchecked Sendable {
    /// What a caller waits for: one reply (an error reply throws) or all replies of a pipeline.
    enum Waiter {
        case single(UnsafeContinuation<RedisReply, any Error>)
        case batch(UnsafeContinuation<[Result<RedisReply, RedisError>], any Error>)
    }

    /// A caller whose replies have not all arrived yet.
    struct PendingReply {
        let waiter: Waiter
        var remaining: Int
        var results: [Result<RedisReply, RedisError>]
        let deadline: ContinuousClock.Instant
    }

    struct State {
        var outbound: [UInt8] = []
        var pending: [PendingReply] = []
        var pendingHead = 0
        /// How many waiters (from the head) have had their bytes handed to the I/O thread.
        var sentCount = 0
        /// The I/O thread sleeps in `poll` with nothing to write or read: a new command must wake it.
        var isIdle = false
        /// The live link's socket (-1 when none) and a counter bumped whenever the link changes.
        var socket: Int32 = -1
        var linkGeneration = 0
        /// A caller is writing to `socket` itself: the I/O thread neither writes nor closes the link meanwhile.
        var isWriting = false
        var isStarted = false
        var isClosed = false

        var pendingCount: Int { pending.count - pendingHead }

        mutating func popPending() -> PendingReply {
            let entry = pending[pendingHead]
            pendingHead += 1
            sentCount = max(0, sentCount - 1)
            if pendingHead == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingHead = 0
            } else if pendingHead >= 4_096 {
                pending.removeFirst(pendingHead)
                pendingHead = 0
            }
            return entry
        }

        /// Removes every waiter and every unsent byte (the connection is being dropped).
        mutating func takeAll() -> [PendingReply] {
            let all = Array(pending[pendingHead...])
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
            sentCount = 0
            outbound.removeAll(keepingCapacity: true)
            return all
        }
    }

    let configuration: RedisConfiguration
    /// The pool's failure epoch: a broken connection here advances it; a link dialed before an advance is
    /// retired (drained, then re-dialed) — so a server restart costs the pool and this connection one failure.
    let epoch: RedisConnectionEpoch?
    let state = Mutex(State())
    /// The pipe the I/O thread polls besides its socket: one byte wakes it.
    let wakeReader: Int32
    let wakeWriter: Int32

    /// Creates a multiplexer; no thread starts and nothing is dialed until the first command.
    /// - Throws: ``RedisError`` `.connectionFailed` when the wake-up pipe cannot be created.
    init(configuration: RedisConfiguration, epoch: RedisConnectionEpoch?) throws {
        self.configuration = configuration
        self.epoch = epoch
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw RedisError(
                .connectionFailed, message: "cannot create a wake-up pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        wakeReader = descriptors[0]
        wakeWriter = descriptors[1]
    }

    deinit {
        close(wakeReader)
        close(wakeWriter)
    }

    /// Whether a command may share the connection: not blocking, not a transaction or connection-state command.
    static func canMultiplex(_ command: RedisCommand) -> Bool {
        guard let first = command.arguments.first, first.count <= 16 else { return false }
        return !unsafeNames.contains(String(decoding: first, as: UTF8.self).uppercased())
    }

    private static let unsafeNames: Set<String> = [
        "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "XREAD", "XREADGROUP",
        "WAIT", "WAITAOF", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
        "MONITOR", "SELECT", "WATCH", "UNWATCH", "MULTI", "EXEC", "DISCARD", "CLIENT", "RESET", "QUIT", "AUTH",
        "HELLO", "SHUTDOWN", "DEBUG", "SYNC", "PSYNC", "REPLICAOF", "SLAVEOF", "READONLY", "READWRITE",
    ]

    /// Sends one command and waits for its reply.
    /// - Returns: The reply.
    /// - Throws: ``RedisError``: `.serverError` for an error reply, connection trouble, `.poolClosed`.
    func send(_ command: RedisCommand) async throws -> RedisReply {
        try await withUnsafeThrowingContinuation { continuation in
            enqueue([command], waiter: .single(continuation))
        }
    }

    /// Sends commands back to back and waits for all their replies.
    /// - Returns: One result per command; an error reply is a `.failure(.serverError)`.
    /// - Throws: ``RedisError`` for connection trouble, `.poolClosed`.
    func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RedisReply, RedisError>] {
        guard !commands.isEmpty else { return [] }
        return try await withUnsafeThrowingContinuation { continuation in
            enqueue(commands, waiter: .batch(continuation))
        }
    }

    /// Stops the I/O thread; commands in flight and later calls throw `.poolClosed`.
    func shutdown() {
        let (wake, waiters) = state.withLock { state -> (Bool, [PendingReply]) in
            if state.isClosed { return (false, []) }
            state.isClosed = true
            return (state.isStarted, state.isStarted ? [] : state.takeAll())
        }
        Self.fail(waiters, with: RedisError(.poolClosed, message: "the Redis client was closed"))
        if wake { signal() }
    }

    private func enqueue(_ commands: [RedisCommand], waiter: Waiter) {
        let deadline = ContinuousClock.now + configuration.commandTimeout
        enum Next {
            case none, wake, start, closed
            case write(socket: Int32, generation: Int, bytes: [UInt8])
        }
        let next: Next = state.withLock { state in
            if state.isClosed { return .closed }
            for command in commands { Self.encode(command, into: &state.outbound) }
            let results: [Result<RedisReply, RedisError>] = []
            state.pending.append(
                PendingReply(waiter: waiter, remaining: commands.count, results: results, deadline: deadline))
            if !state.isStarted {
                state.isStarted = true
                return .start
            }
            if state.isIdle {
                state.isIdle = false
                // Nothing in flight and the I/O thread parked in `poll` on the socket: write from here, saving
                // the wake-up (the reply wakes the I/O thread).
                guard state.socket >= 0, !state.isWriting else { return .wake }
                state.isWriting = true
                state.sentCount = state.pendingCount
                defer { state.outbound = [] }
                return .write(socket: state.socket, generation: state.linkGeneration, bytes: state.outbound)
            }
            return .none
        }
        switch next {
        case .none: return
        case .wake: signal()
        case .write(let socket, let generation, let bytes): writeDirectly(bytes, to: socket, generation: generation)
        case .start:
            let thread = Thread { [self] in runLoop() }
            thread.name = "redis.multiplexer"
            thread.qualityOfService = .userInitiated
            thread.start()
        case .closed:
            Self.fail(
                [PendingReply(waiter: waiter, remaining: 0, results: [], deadline: deadline)],
                with: RedisError(.poolClosed, message: "the Redis client was closed"))
        }
    }

    /// Writes what a caller took while the I/O thread was idle; hands any remainder (and whatever other callers
    /// queued meanwhile) to the I/O thread.
    private func writeDirectly(_ bytes: [UInt8], to socket: Int32, generation: Int) {
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while offset < buffer.count {
                let written = Glibc.send(socket, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // full socket buffer or a broken link: the I/O thread takes it from here
                }
            }
        }
        let wake = state.withLock { state in
            state.isWriting = false
            if offset < bytes.count && state.linkGeneration == generation {
                state.outbound.insert(contentsOf: bytes[offset...], at: 0)
            }
            return !state.outbound.isEmpty
        }
        if wake { signal() }
    }

    /// Wakes the I/O thread from its `poll`.
    func signal() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWriter, &byte, 1)
    }

    /// Fails waiters (outside any lock).
    static func fail(_ waiters: [PendingReply], with error: RedisError) {
        for entry in waiters {
            switch entry.waiter {
            case .single(let continuation): continuation.resume(throwing: error)
            case .batch(let continuation): continuation.resume(throwing: error)
            }
        }
    }

    /// Appends the RESP encoding of `command` (`*N`, then `$len` and the bytes of each argument).
    static func encode(_ command: RedisCommand, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "*"))
        appendDecimal(command.arguments.count, to: &buffer)
        for argument in command.arguments {
            buffer.append(UInt8(ascii: "$"))
            appendDecimal(argument.count, to: &buffer)
            buffer.append(contentsOf: argument)
            buffer.append(13)
            buffer.append(10)
        }
    }

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
        buffer.append(13)
        buffer.append(10)
    }
}
