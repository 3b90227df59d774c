internal import CHiredis
import Glibc
import Synchronization

extension RedisConnectionMultiplexer {
    /// One dialed connection: hiredis owns the socket (freed with the connection); we write RESP bytes
    /// ourselves and parse replies with our own hiredis reader. Used only by the I/O thread.
    final class Link {
        let connection: RedisConnection
        let socket: Int32
        let reader: UnsafeMutablePointer<redisReader>
        /// The pool epoch when this link was dialed.
        let epoch: Int
        var unsent: [UInt8] = []
        var unsentOffset = 0

        init(connection: RedisConnection, epoch: Int) throws {
            guard let reader = redisReaderCreate() else {
                throw RedisError(.connectionFailed, message: "redisReaderCreate failed")
            }
            self.connection = connection
            self.socket = connection.socketDescriptor
            self.reader = reader
            self.epoch = epoch
            let flags = fcntl(socket, F_GETFL)
            guard flags >= 0, fcntl(socket, F_SETFL, flags | O_NONBLOCK) == 0 else {
                redisReaderFree(reader)
                throw RedisError(.connectionFailed, message: "cannot make the socket non-blocking")
            }
        }

        deinit { redisReaderFree(reader) }

        var hasUnsent: Bool { unsentOffset < unsent.count }

        /// Writes as much of `unsent` as the socket takes now.
        func flush() -> RedisError? {
            while unsentOffset < unsent.count {
                let written = unsent.withUnsafeBytes { bytes -> Int in
                    guard let base = bytes.baseAddress else { return 0 }
                    return Glibc.send(socket, base + unsentOffset, bytes.count - unsentOffset, Int32(MSG_NOSIGNAL))
                }
                if written > 0 {
                    unsentOffset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    return nil
                } else {
                    return RedisError(.connectionClosed, message: "write: \(String(cString: strerror(errno)))")
                }
            }
            unsent.removeAll(keepingCapacity: true)
            unsentOffset = 0
            return nil
        }
    }

    /// A caller to resume once its replies are in.
    enum Completion {
        case single(UnsafeContinuation<RedisReply, any Error>, Result<RedisReply, RedisError>)
        case batch(UnsafeContinuation<[Result<RedisReply, RedisError>], any Error>, [Result<RedisReply, RedisError>])
    }

    private enum Step {
        case exit([PendingReply])
        case sleep
        case dial
        case retire
        case yield
        case exchange(deadline: ContinuousClock.Instant, isIdle: Bool)
    }

    /// The I/O thread: dial, write what is queued, read replies and resume their callers, until shutdown.
    func runLoop() {
        var link: Link?
        var replies: [Result<RedisReply, RedisError>] = []
        var completions: [Completion] = []
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let step: Step = state.withLock { state in
                if state.isWriting && (state.isClosed || link == nil) { return .yield }
                if state.isClosed {
                    state.socket = -1
                    return .exit(state.takeAll())
                }
                guard let link else {
                    if state.pendingCount == 0 {
                        state.isIdle = true
                        return .sleep
                    }
                    return .dial
                }
                let isRetired = (epoch?.value ?? 0) > link.epoch
                if isRetired && state.sentCount == 0 && !link.hasUnsent && !state.isWriting {
                    state.socket = -1
                    state.linkGeneration += 1
                    return .retire
                }
                if !isRetired && !link.hasUnsent && !state.outbound.isEmpty && !state.isWriting {
                    swap(&link.unsent, &state.outbound)
                    state.outbound.removeAll(keepingCapacity: true)
                    link.unsentOffset = 0
                    state.sentCount = state.pendingCount
                }
                if state.pendingCount == 0 {
                    // Idle: a caller may write its command itself, so wake at least once per command timeout to
                    // enforce its deadline (which is never earlier than now + the timeout).
                    state.isIdle = true
                    return .exchange(deadline: .now + configuration.commandTimeout, isIdle: true)
                }
                return .exchange(deadline: state.pending[state.pendingHead].deadline, isIdle: false)
            }
            switch step {
            case .exit(let waiters):
                link = nil
                Self.fail(waiters, with: RedisError(.poolClosed, message: "the Redis client was closed"))
                return
            case .sleep:
                waitForWake(socket: nil, writable: false, deadline: nil)
            case .retire:
                link = nil
            case .yield:
                sched_yield()
            case .dial:
                do {
                    let dialEpoch = epoch?.value ?? 0
                    let connection = try RedisConnection(
                        configuration: configuration, commandTimeout: configuration.commandTimeout)
                    let dialed = try Link(connection: connection, epoch: dialEpoch)
                    link = dialed
                    state.withLock { state in
                        state.socket = dialed.socket
                        state.linkGeneration += 1
                    }
                } catch {
                    let waiters = state.withLock { $0.takeAll() }
                    Self.fail(waiters, with: error as? RedisError ?? RedisError(.connectionFailed, message: "\(error)"))
                }
            case .exchange(let deadline, let isIdle):
                guard let current = link else { continue }
                let failure = exchange(
                    current, deadline: deadline, enforcesDeadline: !isIdle, buffer: buffer, capacity: capacity,
                    replies: &replies, completions: &completions)
                if let failure {
                    epoch?.advance(past: current.epoch)
                    let waiters = dropLink()
                    link = nil
                    Self.fail(waiters, with: failure)
                }
            }
        }
    }

    /// Forgets the live link once no caller is writing to its socket; returns every waiter to fail.
    private func dropLink() -> [PendingReply] {
        while true {
            let waiters: [PendingReply]? = state.withLock { state in
                if state.isWriting { return nil }
                state.socket = -1
                state.linkGeneration += 1
                return state.takeAll()
            }
            if let waiters { return waiters }
            sched_yield()
        }
    }

    /// Flushes, waits for the socket (or a wake-up, or the oldest deadline), reads and delivers replies.
    private func exchange(
        _ link: Link, deadline: ContinuousClock.Instant, enforcesDeadline: Bool, buffer: UnsafeMutableRawPointer,
        capacity: Int, replies: inout [Result<RedisReply, RedisError>], completions: inout [Completion]
    ) -> RedisError? {
        if enforcesDeadline && ContinuousClock.now >= deadline {
            return RedisError(.timeout, message: "no reply within the command timeout")
        }
        if link.hasUnsent, let error = link.flush() { return error }
        let events = waitForWake(socket: link.socket, writable: link.hasUnsent, deadline: deadline)
        guard events & Int16(POLLIN | POLLHUP | POLLERR) != 0 else { return nil }
        while true {
            let count = read(link.socket, buffer, capacity)
            if count > 0 {
                let status = redisReaderFeed(link.reader, buffer.assumingMemoryBound(to: CChar.self), count)
                guard status == REDIS_OK else { return RedisError(.protocolError, message: "malformed reply") }
                if count < capacity { break }
            } else if count == 0 {
                return RedisError(.connectionClosed, message: "the server closed the connection")
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else {
                return RedisError(.connectionClosed, message: "read: \(String(cString: strerror(errno)))")
            }
        }
        replies.removeAll(keepingCapacity: true)
        while true {
            var raw: UnsafeMutableRawPointer?
            guard redisReaderGetReply(link.reader, &raw) == REDIS_OK else {
                return RedisError(.protocolError, message: "malformed reply")
            }
            guard let raw else { break }
            defer { freeReplyObject(raw) }
            do {
                replies.append(.success(try RedisConnection.convert(raw.assumingMemoryBound(to: redisReply.self))))
            } catch {
                replies.append(.failure(error as? RedisError ?? RedisError(.unexpectedReply, message: "\(error)")))
            }
        }
        return deliver(replies, completions: &completions)
    }

    /// Hands replies to their callers in order; resumes them outside the lock.
    private func deliver(
        _ replies: [Result<RedisReply, RedisError>], completions: inout [Completion]
    ) -> RedisError? {
        guard !replies.isEmpty else { return nil }
        completions.removeAll(keepingCapacity: true)
        let isConsistent = state.withLock { state in
            for reply in replies {
                guard state.pendingCount > 0 else { return false }
                let head = state.pendingHead
                if case .single(let continuation) = state.pending[head].waiter {
                    _ = state.popPending()
                    completions.append(.single(continuation, reply))
                    continue
                }
                state.pending[head].results.append(reply)
                state.pending[head].remaining -= 1
                if state.pending[head].remaining == 0, case .batch(let continuation) = state.pending[head].waiter {
                    completions.append(.batch(continuation, state.popPending().results))
                }
            }
            return true
        }
        for completion in completions {
            switch completion {
            case .single(let continuation, let result): continuation.resume(with: result.mapError { $0 })
            case .batch(let continuation, let results): continuation.resume(returning: results)
            }
        }
        completions.removeAll(keepingCapacity: true)
        return isConsistent ? nil : RedisError(.protocolError, message: "a reply arrived that no command asked for")
    }

    /// Polls the socket (if any) and the wake pipe; drains the pipe. Returns the socket's events.
    @discardableResult
    private func waitForWake(socket: Int32?, writable: Bool, deadline: ContinuousClock.Instant?) -> Int16 {
        var timeout: Int32 = -1
        if let deadline {
            let left = deadline - ContinuousClock.now
            let milliseconds = left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000
            timeout = Int32(clamping: max(0, milliseconds + 1))
        }
        var descriptors = [pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)]
        if let socket {
            let events = Int16(POLLIN) | (writable ? Int16(POLLOUT) : 0)
            descriptors.append(pollfd(fd: socket, events: events, revents: 0))
        }
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        guard ready > 0 else { return 0 }
        if descriptors[0].revents != 0 {
            var drain = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            while withUnsafeMutableBytes(of: &drain, { read(wakeReader, $0.baseAddress, $0.count) }) > 0 {}
        }
        return descriptors.count > 1 ? descriptors[1].revents : 0
    }
}
