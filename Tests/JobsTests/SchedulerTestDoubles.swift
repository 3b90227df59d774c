import Foundation
import Jobs
import Synchronization

/// Stands in for the job engine's enqueue: it implements the unique-key rule (a key is dropped while an
/// earlier job with that key is remembered) and records every attempt.
final class KeyLog: ScheduledJobEnqueuing {
    private struct State {
        var seen: Set<String> = []
        var enqueued: [String] = []
        var attempts = 0
    }

    private let state = Mutex(State())

    /// Unique keys of the jobs actually enqueued, in order.
    var enqueuedKeys: [String] { state.withLock { $0.enqueued } }
    /// Every call, duplicates included.
    var attempts: Int { state.withLock { $0.attempts } }

    func enqueueScheduled(jobName: String, payloadJSON: [UInt8], uniqueKey: String, uniqueFor: Duration) async throws
        -> Bool
    {
        await Task.yield()  // let concurrent schedulers interleave
        return state.withLock { state in
            state.attempts += 1
            guard state.seen.insert(uniqueKey).inserted else { return false }
            state.enqueued.append(uniqueKey)
            return true
        }
    }
}

/// Last-tick markers in memory, shared by the schedulers of one test.
final class InMemoryMarkers: ScheduleMarkerStore {
    private let minutes = Mutex([String: Date]())

    func lastScheduledMinutes(jobNames: [String]) async throws -> [String: Date] {
        await Task.yield()
        return minutes.withLock { $0.filter { jobNames.contains($0.key) } }
    }

    func recordScheduledMinute(_ minute: Date, jobName: String) async throws -> Bool {
        await Task.yield()
        return minutes.withLock { minutes in
            guard (minutes[jobName] ?? .distantPast) < minute else { return false }
            minutes[jobName] = minute
            return true
        }
    }
}

/// A simulated wall clock shared by several schedulers: time only moves when every participant is asleep,
/// then jumps to the earliest deadline. When that deadline is past `end`, ``finished()`` returns.
final class SimulatedClock: SchedulerClock {
    private struct Sleeper {
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Int: Sleeper] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
        var isFinished = false
        var finishWaiter: CheckedContinuation<Void, Never>?
    }

    private let state: Mutex<State>
    private let participants: Int
    private let end: Date

    init(start: Date, end: Date, participants: Int) {
        self.state = Mutex(State(now: start))
        self.participants = participants
        self.end = end
    }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                state.withLock { state in
                    if state.cancelled.contains(id) {
                        continuation.resume(throwing: CancellationError())
                        return
                    }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    Self.advanceIfAllAsleep(&state, participants: participants, end: end)
                }
            }
        } onCancel: {
            state.withLock { state in
                state.cancelled.insert(id)
                state.sleepers.removeValue(forKey: id)?.continuation.resume(throwing: CancellationError())
            }
        }
    }

    /// Returns once simulated time would pass `end`.
    func finished() async {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if state.isFinished { continuation.resume() } else { state.finishWaiter = continuation }
            }
        }
    }

    private static func advanceIfAllAsleep(_ state: inout State, participants: Int, end: Date) {
        guard state.sleepers.count == participants, let next = state.sleepers.values.map(\.deadline).min() else {
            return
        }
        guard next <= end else {
            state.isFinished = true
            state.finishWaiter?.resume()
            state.finishWaiter = nil
            return
        }
        state.now = max(state.now, next)
        for (id, sleeper) in state.sleepers where sleeper.deadline <= state.now {
            state.sleepers.removeValue(forKey: id)
            sleeper.continuation.resume()
        }
    }
}
