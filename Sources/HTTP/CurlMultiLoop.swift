internal import CCurl
import Foundation
import Logging
import Synchronization

/// Drives every transfer of one ``HTTPClient`` from ONE dedicated thread with curl's multi interface
/// (`curl_multi_perform` + `curl_multi_poll`), so hundreds of requests wait on sockets without a thread each.
///
/// Other threads talk to the loop only through `inbox` (a mutex) and `curl_multi_wakeup`, the one multi call curl
/// allows from another thread. `@unchecked Sendable` invariant: `multi` and `active` are used by the loop thread
/// only (plus `curl_multi_wakeup`, which is thread-safe).
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var isShuttingDown = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private let logger: Logger

    init(maxConnectionsPerHost: Int, logger: Logger) throws {
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else {
            throw HTTPError(.transport, message: "curl_multi_init failed")
        }
        self.multi = multi
        self.logger = logger
        if maxConnectionsPerHost > 0 {
            _ = wc_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        }
        let thread = Thread { [self] in run() }
        thread.name = "woodstock.http.curl"
        thread.start()
    }

    /// Hands a transfer to the loop. Returns `false` after shutdown began (the caller fails the transfer).
    func submit(_ transfer: CurlTransfer) -> Bool {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.isShuttingDown else { return false }
            inbox.added.append(transfer)
            return true
        }
        if accepted { curl_multi_wakeup(multi) }
        return accepted
    }

    /// Asks the loop to abort a running transfer; it is removed from the multi handle and fails with
    /// `CancellationError`.
    func cancel(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.hasExited else { return false }
            inbox.cancelled.append(transfer)
            return true
        }
        if accepted { curl_multi_wakeup(multi) }
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
                curl_multi_wakeup(multi)
            }
        }
    }

    /// Starts shutdown without waiting (from `deinit` of the client).
    func requestShutdown() {
        inbox.withLock { $0.isShuttingDown = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        logger.debug("curl multi loop started")
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
            var running: Int32 = 0
            let rc = curl_multi_perform(multi, &running)
            if rc != CURLM_OK {
                logger.error("curl_multi_perform failed", metadata: ["curl.error": "\(multiError(rc))"])
            }
            collectFinished()
            _ = curl_multi_poll(multi, nil, 0, 10_000, nil)
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

    private func multiError(_ code: CURLMcode) -> String {
        String(cString: curl_multi_strerror(code))
    }
}
