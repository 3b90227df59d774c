internal import CCurl
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Drives every transfer of one ``HTTPClient`` from ONE dedicated thread with curl's event-driven multi interface
/// (`curl_multi_socket_action`): curl tells the loop which sockets to watch (socket callback) and when its next
/// timeout is due (timer callback); the loop waits on an epoll set and hands curl only the sockets that are ready.
/// Each wake-up therefore costs O(ready sockets), not O(transfers in flight), so thousands of slow requests (an
/// LLM that thinks for seconds) cost nothing while they wait.
///
/// Other threads talk to the loop only through `inbox` (a mutex) and an `eventfd` in the epoll set.
/// `@unchecked Sendable` invariant: `multi`, `active`, `watched` and `timerDeadline` are used by the loop thread
/// only (curl calls the callbacks from inside `curl_multi_*` calls made on that thread); the two descriptors are
/// closed in `deinit`, after the thread (which holds a strong reference) has ended, so a late wake-up never writes
/// to a reused descriptor.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var isShuttingDown = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let multi: UnsafeMutableRawPointer
    private let epollDescriptor: Int32
    private let wakeDescriptor: Int32
    private let inbox = Mutex(Inbox())
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Sockets in the epoll set (so a change is `EPOLL_CTL_MOD`, not a second `ADD`).
    private var watched: Set<Int32> = []
    /// When curl wants `CURL_SOCKET_TIMEOUT`, in `DispatchTime` nanoseconds; `nil` when it has no timer.
    private var timerDeadline: UInt64?
    private let logger: Logger

    init(maxConnectionsPerHost: Int, idleConnectionCacheSize: Int, logger: Logger) throws {
        CurlGlobal.initialize()
        let epollDescriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollDescriptor >= 0 else {
            throw HTTPError(.transport, message: "epoll_create1 failed: \(String(cString: strerror(errno)))")
        }
        let wakeDescriptor = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wakeDescriptor >= 0 else {
            let text = String(cString: strerror(errno))
            close(epollDescriptor)
            throw HTTPError(.transport, message: "eventfd failed: \(text)")
        }
        guard let multi = curl_multi_init() else {
            close(epollDescriptor)
            close(wakeDescriptor)
            throw HTTPError(.transport, message: "curl_multi_init failed")
        }
        self.multi = multi
        self.epollDescriptor = epollDescriptor
        self.wakeDescriptor = wakeDescriptor
        self.logger = logger
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeDescriptor
        _ = epoll_ctl(epollDescriptor, EPOLL_CTL_ADD, wakeDescriptor, &event)
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = wc_multi_setopt_socketfunction(multi, curlSocketCallback)
        _ = wc_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, context)
        _ = wc_multi_setopt_timerfunction(multi, curlTimerCallback)
        _ = wc_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, context)
        if maxConnectionsPerHost > 0 {
            _ = wc_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        }
        if idleConnectionCacheSize > 0 {
            _ = wc_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, idleConnectionCacheSize)
        }
        let thread = Thread { [self] in run() }
        thread.name = "woodstock.http.curl"
        thread.start()
    }

    deinit {
        close(wakeDescriptor)
        close(epollDescriptor)
    }

    /// Hands a transfer to the loop. Returns `false` after shutdown began (the caller fails the transfer).
    ///
    /// Only the submission that finds the inbox empty writes to the eventfd: while the inbox holds anything, a
    /// wake-up is already on its way (its writer found the inbox empty after the loop's last drain), so a burst of
    /// requests costs the loop one wake-up, not one system call each.
    func submit(_ transfer: CurlTransfer) -> Bool {
        let (accepted, mustWake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.isShuttingDown else { return (false, false) }
            let wasEmpty = inbox.added.isEmpty && inbox.cancelled.isEmpty
            inbox.added.append(transfer)
            return (true, wasEmpty)
        }
        if mustWake { wake() }
        return accepted
    }

    /// Asks the loop to abort a running transfer; it is removed from the multi handle and fails with
    /// `CancellationError`.
    func cancel(_ transfer: CurlTransfer) {
        let mustWake = inbox.withLock { inbox -> Bool in
            guard !inbox.hasExited else { return false }
            let wasEmpty = inbox.added.isEmpty && inbox.cancelled.isEmpty
            inbox.cancelled.append(transfer)
            return wasEmpty
        }
        if mustWake { wake() }
    }

    /// Stops the loop: transfers in flight fail with `HTTPError(.clientShutdown)`; returns once the thread ended.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = inbox.withLock { inbox -> Bool in
                inbox.isShuttingDown = true
                if inbox.hasExited { return true }
                inbox.exitWaiters.append(continuation)
                return false
            }
            if exited {
                continuation.resume()
            } else {
                wake()
            }
        }
    }

    /// Starts shutdown without waiting (from `deinit` of the client).
    func requestShutdown() {
        inbox.withLock { $0.isShuttingDown = true }
        wake()
    }

    /// Makes the loop's `epoll_wait` return (thread-safe: one `write` to the eventfd).
    private func wake() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(wakeDescriptor, $0.baseAddress, $0.count) }
    }

    private func run() {
        logger.debug("curl multi loop started")
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while true {
            let (added, cancelled, stop) = inbox.withLock { inbox in
                defer {
                    inbox.added.removeAll()
                    inbox.cancelled.removeAll()
                }
                return (inbox.added, inbox.cancelled, inbox.isShuttingDown)
            }
            for transfer in added { attach(transfer) }
            for transfer in cancelled { detach(transfer, with: CancellationError()) }
            if stop { break }
            let ready = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epollDescriptor, buffer.baseAddress, Int32(buffer.count), waitMilliseconds())
            }
            if ready < 0 && errno != EINTR {
                logger.error("epoll_wait failed", metadata: ["error": "\(String(cString: strerror(errno)))"])
            }
            for index in 0..<max(0, Int(ready)) {
                let descriptor = events[index].data.fd
                if descriptor == wakeDescriptor {
                    var count: UInt64 = 0
                    _ = withUnsafeMutableBytes(of: &count) { read(wakeDescriptor, $0.baseAddress, $0.count) }
                    continue
                }
                act(on: descriptor, flags: Self.curlFlags(events[index].events))
            }
            if let deadline = timerDeadline, DispatchTime.now().uptimeNanoseconds >= deadline {
                timerDeadline = nil
                var running: Int32 = 0
                let rc = wc_multi_socket_timeout(multi, &running)
                if rc != CURLM_OK { logMultiFailure(rc) }
            }
            collectFinished()
        }
        for transfer in Array(active.values) {
            detach(transfer, with: HTTPError(.clientShutdown, message: "\(transfer.label): client shut down"))
        }
        curl_multi_cleanup(multi)
        let waiters = inbox.withLock { inbox in
            inbox.hasExited = true
            let waiters = inbox.exitWaiters
            inbox.exitWaiters.removeAll()
            // Anything submitted after the final drain fails here.
            for transfer in inbox.added {
                transfer.finish(.failure(HTTPError(.clientShutdown, message: "\(transfer.label): client shut down")))
            }
            inbox.added.removeAll()
            return waiters
        }
        for waiter in waiters { waiter.resume() }
        logger.debug("curl multi loop stopped")
    }

    /// Milliseconds `epoll_wait` may sleep: until curl's timer (rounded up), or 10 s when curl has none.
    private func waitMilliseconds() -> Int32 {
        guard let deadline = timerDeadline else { return 10_000 }
        let now = DispatchTime.now().uptimeNanoseconds
        guard deadline > now else { return 0 }
        return Int32(min(10_000, (deadline - now + 999_999) / 1_000_000))
    }

    private func act(on descriptor: Int32, flags: Int32) {
        var running: Int32 = 0
        let rc = curl_multi_socket_action(multi, descriptor, flags, &running)
        if rc != CURLM_OK { logMultiFailure(rc) }
    }

    private static func curlFlags(_ events: UInt32) -> Int32 {
        var flags: Int32 = 0
        if events & EPOLLIN.rawValue != 0 { flags |= CURL_CSELECT_IN }
        if events & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { flags |= CURL_CSELECT_ERR }
        return flags
    }

    /// curl's socket callback: keeps the epoll set in step with what curl wants to hear about.
    func watch(_ descriptor: Int32, what: Int32) {
        guard what != CURL_POLL_REMOVE else {
            if watched.remove(descriptor) != nil {
                _ = epoll_ctl(epollDescriptor, EPOLL_CTL_DEL, descriptor, nil)
            }
            return
        }
        var event = epoll_event()
        event.events = 0
        if what & CURL_POLL_IN != 0 { event.events |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { event.events |= EPOLLOUT.rawValue }
        event.data.fd = descriptor
        let isNew = watched.insert(descriptor).inserted
        var rc = epoll_ctl(epollDescriptor, isNew ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, descriptor, &event)
        if rc != 0 && errno == EEXIST { rc = epoll_ctl(epollDescriptor, EPOLL_CTL_MOD, descriptor, &event) }
        if rc != 0 && errno == ENOENT { rc = epoll_ctl(epollDescriptor, EPOLL_CTL_ADD, descriptor, &event) }
        if rc != 0 {
            logger.error("epoll_ctl failed", metadata: ["error": "\(String(cString: strerror(errno)))"])
        }
    }

    /// curl's timer callback: `-1` removes the timer, `0` asks for a timeout action at once.
    func setTimer(milliseconds: Int) {
        guard milliseconds >= 0 else {
            timerDeadline = nil
            return
        }
        timerDeadline = DispatchTime.now().uptimeNanoseconds + UInt64(milliseconds) * 1_000_000
    }

    private func attach(_ transfer: CurlTransfer) {
        guard !transfer.isCancelRequested else {
            transfer.finish(.failure(CancellationError()))
            return
        }
        let rc = curl_multi_add_handle(multi, transfer.easy)
        guard rc == CURLM_OK else {
            transfer.finish(.failure(HTTPError(.transport, message: "\(transfer.label): \(multiError(rc))")))
            return
        }
        active[transfer.easy] = transfer
    }

    private func detach(_ transfer: CurlTransfer, with error: any Error) {
        guard active.removeValue(forKey: transfer.easy) != nil else { return }
        _ = curl_multi_remove_handle(multi, transfer.easy)
        transfer.finish(.failure(error))
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = wc_msg_result(message)
            guard let transfer = active.removeValue(forKey: easy) else { continue }
            _ = curl_multi_remove_handle(multi, easy)
            transfer.complete(result)
        }
    }

    private func logMultiFailure(_ code: CURLMcode) {
        logger.error("curl_multi_socket_action failed", metadata: ["curl.error": "\(multiError(code))"])
    }

    private func multiError(_ code: CURLMcode) -> String {
        String(cString: curl_multi_strerror(code))
    }
}
