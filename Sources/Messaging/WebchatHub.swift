import Foundation
public import Logging
import Redis
import Synchronization

/// Fans webchat events out to the browsers connected to this process.
///
/// One loop (``run()``) follows the channel's notification stream on its own Redis connection (`XREAD BLOCK`)
/// and hands each event to the subscriptions of its conversation. A subscription buffers what arrives while
/// its owner catches up from the conversation stream, so nothing published after ``subscribe(tenantID:visitorID:)``
/// is missed.
///
/// ```swift
/// let hub = WebchatHub(channel: channel, logger: logger)
/// async let loop: Void = hub.run()          // a Service in `serve`
/// let events = hub.subscribe(tenantID: tenant, visitorID: visitor)
/// for await event in events { ... }          // ends when the hub stops
/// ```
///
/// Thread-safe. When ``run()`` returns (cancelled, e.g. on graceful shutdown) every subscription ends and new
/// ones end at once, so open Server-Sent Events responses close cleanly.
public final class WebchatHub: Sendable {
    private struct State {
        var subscribers: [String: [UUID: AsyncStream<WebchatEvent>.Continuation]] = [:]
        var isStopped = false
    }

    /// The channel whose notifications are followed.
    public let channel: WebchatChannel
    private let logger: Logger
    private let blockMilliseconds: Int
    private let state = Mutex(State())

    /// Creates a hub; nothing runs until ``run()``.
    /// - Parameters:
    ///   - channel: The channel.
    ///   - logger: Loop trouble at warning (never message text).
    ///   - blockMilliseconds: How long one `XREAD` blocks (default 5 s).
    public init(channel: WebchatChannel, logger: Logger, blockMilliseconds: Int = 5_000) {
        self.channel = channel
        self.logger = logger
        self.blockMilliseconds = blockMilliseconds
    }

    /// How many subscriptions are open.
    public var subscriberCount: Int { state.withLock { $0.subscribers.values.reduce(0) { $0 + $1.count } } }

    /// Subscribes to one conversation's new events.
    /// - Parameters:
    ///   - tenantID: The tenant.
    ///   - visitorID: The visitor.
    /// - Returns: The events announced from now on; the stream ends when the hub stops or the consumer stops
    ///   iterating (its buffer keeps the newest 256 events).
    public func subscribe(tenantID: String, visitorID: String) -> AsyncStream<WebchatEvent> {
        let key = channel.conversationKey(tenantID: tenantID, visitorID: visitorID)
        let (stream, continuation) = AsyncStream.makeStream(
            of: WebchatEvent.self, bufferingPolicy: .bufferingNewest(256))
        let token = UUID()
        let isStopped = state.withLock { state in
            if state.isStopped { return true }
            state.subscribers[key, default: [:]][token] = continuation
            return false
        }
        if isStopped {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                state.subscribers[key]?[token] = nil
                if state.subscribers[key]?.isEmpty == true { state.subscribers[key] = nil }
            }
        }
        return stream
    }

    /// Follows the notification stream until cancelled, then ends every subscription.
    /// - Throws: `CancellationError` is never thrown: cancellation ends the loop normally.
    public func run() async throws {
        let connection = channel.redis.makeDedicatedConnection()
        defer {
            connection.close()
            stop()
        }
        var cursor = await initialCursor()
        while !Task.isCancelled {
            do {
                let command = RedisCommand(
                    "XREAD", "COUNT", 512, "BLOCK", blockMilliseconds, "STREAMS", channel.notificationKey, cursor)
                let reply = try await connection.send(command, blockingFor: .milliseconds(blockMilliseconds))
                for stream in reply.array ?? [] {
                    guard let parts = stream.array, parts.count == 2 else { continue }
                    for entry in parts[1].array ?? [] {
                        if let id = entry.array?.first?.string { cursor = id }
                        guard let (event, fields) = WebchatChannel.decodeEntry(entry, field: "d"),
                            let key = fields["k"]
                        else { continue }
                        dispatch(event, to: key)
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("webchat hub: notification read failed, retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// The id of the newest notification, so the loop starts after it (`0-0` for an empty stream).
    private func initialCursor() async -> String {
        while !Task.isCancelled {
            do {
                let reply = try await channel.redis.send("XREVRANGE", channel.notificationKey, "+", "-", "COUNT", 1)
                return reply.array?.first?.array?.first?.string ?? "0-0"
            } catch {
                logger.warning("webchat hub: cannot read the notification stream", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        return "$"
    }

    private func dispatch(_ event: WebchatEvent, to key: String) {
        let targets = state.withLock { Array(($0.subscribers[key] ?? [:]).values) }
        for continuation in targets { continuation.yield(event) }
    }

    private func stop() {
        let all = state.withLock { state -> [AsyncStream<WebchatEvent>.Continuation] in
            state.isStopped = true
            let all = state.subscribers.values.flatMap(\.values)
            state.subscribers = [:]
            return all
        }
        for continuation in all { continuation.finish() }
    }
}
