public import Foundation

/// The wall clock the ``Scheduler`` reads and sleeps on; injectable so tests can run an hour of ticks in
/// moments.
public protocol SchedulerClock: Sendable {
    /// The current time.
    func now() -> Date

    /// Suspends until `deadline` has passed on this clock.
    /// - Throws: `CancellationError` when the calling task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The real clock: `Date()` and `Task.sleep`, re-checking the wall clock after each sleep.
public struct SystemSchedulerClock: SchedulerClock {
    /// Creates the system clock.
    public init() {}

    /// The current time.
    public func now() -> Date { Date() }

    /// Sleeps until the wall clock reaches `deadline` (cancellable).
    /// - Throws: `CancellationError` when the calling task is cancelled.
    public func sleep(until deadline: Date) async throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return }
            try await Task.sleep(for: .seconds(remaining))
        }
    }
}
