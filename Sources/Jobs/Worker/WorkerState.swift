import Synchronization

/// The worker's shared bookkeeping: leased jobs, running handlers, the acknowledgement buffer and the
/// continuations of the loops waiting on them. All access goes through one `Mutex`.
final class WorkerState: Sendable {
    struct Entry {
        let queue: String
        let leased: [UInt8]
        let timeoutAt: ContinuousClock.Instant
        var task: Task<Void, any Error>?
        var isRunning = true
        var isTimedOut = false
        var isHandedBack = false
    }

    private struct State: ~Copyable {
        var entries: [Int: Entry] = [:]
        var nextID = 0
        var running = 0
        var acknowledgements: [JobAcknowledgement] = []
        var isStopping = false
        var isAckerDone = false
        var isFinished = false
        var slotWaiter: (threshold: Int, continuation: CheckedContinuation<Void, Never>)?
        var ackWaiter: CheckedContinuation<Void, Never>?
        var idleWaiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    let concurrency: Int

    init(concurrency: Int) { self.concurrency = concurrency }

    var isStopping: Bool { state.withLock { $0.isStopping } }

    /// `true` once shutdown began and the acknowledgement loop ended.
    var isFinished: Bool { state.withLock { $0.isFinished } }

    /// Records that the acknowledgement loop ended.
    func markFinished() { state.withLock { $0.isFinished = true } }

    /// `true` once ``finishAcknowledging()`` was called.
    var isAcknowledgingFinished: Bool { state.withLock { $0.isAckerDone } }

    /// Registers a freshly leased job as running; returns its entry ID.
    func register(queue: String, leased: [UInt8], timeout: Duration) -> Int {
        let timeoutAt = ContinuousClock.now + timeout
        return state.withLock { state in
            state.nextID += 1
            state.entries[state.nextID] = Entry(queue: queue, leased: leased, timeoutAt: timeoutAt)
            state.running += 1
            return state.nextID
        }
    }

    /// Attaches the handler's task; cancels it at once if the job already timed out or was handed back.
    func attach(_ task: Task<Void, any Error>, to id: Int) {
        let cancelNow = state.withLock { state -> Bool in
            state.entries[id]?.task = task
            guard let entry = state.entries[id] else { return true }
            return entry.isTimedOut || entry.isHandedBack
        }
        if cancelNow { task.cancel() }
    }

    /// `(timedOut, handedBack)` flags of an entry.
    func flags(of id: Int) -> (isTimedOut: Bool, isHandedBack: Bool) {
        state.withLock { state in
            let entry = state.entries[id]
            return (entry?.isTimedOut ?? false, entry?.isHandedBack ?? true)
        }
    }

    /// Marks a run finished, queues its acknowledgement (if any) and wakes the loops that wait.
    func finish(_ id: Int, acknowledgement: JobAcknowledgement?) {
        let (slot, ack, idle) = state.withLock {
            state -> (
                CheckedContinuation<Void, Never>?, CheckedContinuation<Void, Never>?, CheckedContinuation<Void, Never>?
            ) in
            if state.entries[id]?.isRunning == true {
                state.entries[id]?.isRunning = false
                state.entries[id]?.task = nil
                state.running -= 1
            }
            if let acknowledgement {
                state.acknowledgements.append(acknowledgement)
            } else if state.entries[id]?.isHandedBack != true {
                state.entries[id] = nil
            }
            var slot: CheckedContinuation<Void, Never>?
            if let waiter = state.slotWaiter, concurrency - state.running >= waiter.threshold {
                slot = waiter.continuation
                state.slotWaiter = nil
            }
            let ack = acknowledgement == nil ? nil : state.ackWaiter
            if ack != nil { state.ackWaiter = nil }
            var idle: CheckedContinuation<Void, Never>?
            if state.running == 0 { idle = state.idleWaiter; state.idleWaiter = nil }
            return (slot, ack, idle)
        }
        slot?.resume()
        ack?.resume()
        idle?.resume()
    }

    /// Waits until at least `threshold` slots are free (or shutdown began); returns the free count.
    func waitForSlots(threshold: Int) async -> Int {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.isStopping || concurrency - state.running >= threshold { return true }
                state.slotWaiter = (threshold, continuation)
                return false
            }
            if ready { continuation.resume() }
        }
        return state.withLock { concurrency - $0.running }
    }

    /// Waits for acknowledgements to send; returns `nil` once shutdown finished and nothing is left.
    func nextAcknowledgements() async -> [JobAcknowledgement]? {
        while true {
            let taken = state.withLock { state -> [JobAcknowledgement]? in
                let taken = state.acknowledgements
                state.acknowledgements = []
                if taken.isEmpty && state.isAckerDone { return nil }
                return taken
            }
            guard let taken else { return nil }
            if !taken.isEmpty { return taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if !state.acknowledgements.isEmpty || state.isAckerDone { return true }
                    state.ackWaiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Puts acknowledgements that could not be sent back at the front of the buffer.
    func requeue(_ acknowledgements: [JobAcknowledgement]) {
        state.withLock { $0.acknowledgements.insert(contentsOf: acknowledgements, at: 0) }
    }

    /// Forgets entries whose acknowledgement reached Redis.
    func forget(_ ids: [Int]) {
        state.withLock { state in for id in ids { state.entries[id] = nil } }
    }

    /// Every leased job by queue (running or waiting for its acknowledgement), for lease renewal.
    func leasedByQueue() -> [String: [[UInt8]]] {
        state.withLock { state in
            var byQueue: [String: [[UInt8]]] = [:]
            for entry in state.entries.values where !entry.isHandedBack {
                byQueue[entry.queue, default: []].append(entry.leased)
            }
            return byQueue
        }
    }

    /// Cancels runs past their timeout; returns how many.
    func cancelExpired(now: ContinuousClock.Instant) -> Int {
        let tasks = state.withLock { state -> [Task<Void, any Error>] in
            var tasks: [Task<Void, any Error>] = []
            for (id, entry) in state.entries where entry.isRunning && !entry.isTimedOut && entry.timeoutAt <= now {
                state.entries[id]?.isTimedOut = true
                if let task = entry.task { tasks.append(task) }
            }
            return tasks
        }
        for task in tasks { task.cancel() }
        return tasks.count
    }

    /// Begins shutdown: no more fetching; wakes the fetch loop if it waits for a slot.
    func beginStopping() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.isStopping = true
            defer { state.slotWaiter = nil }
            return state.slotWaiter?.continuation
        }
        waiter?.resume()
    }

    /// Waits until no handler runs.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                if state.running == 0 { return true }
                state.idleWaiter = continuation
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Wakes ``waitUntilIdle()`` without the worker being idle (grace period over).
    func stopWaitingForIdle() {
        let waiter = state.withLock { state in
            defer { state.idleWaiter = nil }
            return state.idleWaiter
        }
        waiter?.resume()
    }

    /// Hands every still-running job back: marks it, cancels it and queues a hand-back acknowledgement.
    func handBackRunning() -> Int {
        let (tasks, ack) = state.withLock { state -> ([Task<Void, any Error>], CheckedContinuation<Void, Never>?) in
            var tasks: [Task<Void, any Error>] = []
            for (id, entry) in state.entries where entry.isRunning && !entry.isHandedBack {
                state.entries[id]?.isHandedBack = true
                if let task = entry.task { tasks.append(task) }
                state.acknowledgements.append(
                    JobAcknowledgement(
                        entryID: id, queue: entry.queue, operation: .handBack, leased: entry.leased, replacement: [],
                        score: 0)
                )
            }
            defer { state.ackWaiter = nil }
            return (tasks, state.ackWaiter)
        }
        for task in tasks { task.cancel() }
        ack?.resume()
        return tasks.count
    }

    /// Lets the acknowledgement loop end once its buffer is empty.
    func finishAcknowledging() {
        let waiter = state.withLock { state in
            state.isAckerDone = true
            defer { state.ackWaiter = nil }
            return state.ackWaiter
        }
        waiter?.resume()
    }
}
