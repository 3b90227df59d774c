import Testing

/// Polls `condition` every 20 ms until it holds, recording a test issue (and returning) after `timeout`.
/// - Parameters:
///   - timeout: How long to wait before the issue is recorded.
///   - condition: Checked first at once, then every 20 ms.
/// - Throws: What `condition` throws, or `CancellationError`.
public func waitFor(timeout: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(timeout)")
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
