import Foundation
import HTTPTypes
import Hummingbird
import Messaging
import NIOCore
import Store

extension WebchatRoutes {
    /// One thing to write on an event stream.
    enum StreamItem: Sendable {
        case event(WebchatEvent)
        case heartbeat
    }

    /// `GET /webchat/{tenant}/events`: the visitor's conversation as Server-Sent Events.
    ///
    /// Subscribes to the hub first, then reads what the client missed (after `Last-Event-ID`), so an event
    /// published in between is in one of the two; events at or before the last one written are skipped.
    func events(_ request: Request, tenant text: String?) async -> Response {
        await handling {
            let (admission, visitor) = try await admitVisitor(request, tenant: text)
            guard case .admitted(let tenant, let origin) = admission, let visitorID = visitor else {
                return try await refusal(of: admission)
            }
            let tenantID = tenant.tenantID.description
            let lastEventID = request.headers[WebchatHTTP.lastEventIDField].flatMap {
                WebchatEvent.isValidID($0) ? $0 : nil
            }
            let live = service.hub.subscribe(tenantID: tenantID, visitorID: visitorID)
            let missed = try await service.channel.events(tenantID: tenantID, visitorID: visitorID, after: lastEventID)
            var headers = WebchatHTTP.cors(origin)
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-store"
            headers[HTTPField.Name("X-Accel-Buffering") ?? .cacheControl] = "no"
            let configuration = service.configuration
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    var opening = "retry: \(configuration.retryMilliseconds)\n\n"
                    for event in missed { opening += Self.frame(event) }
                    try await writer.write(ByteBuffer(string: opening))
                    let last = missed.last?.id ?? lastEventID
                    try await Self.stream(live, after: last, heartbeat: configuration.heartbeatInterval, to: &writer)
                    try await writer.finish(nil)
                })
        }
    }

    /// Writes live events (newer than `last`) and heartbeats until the subscription ends.
    static func stream(
        _ live: AsyncStream<WebchatEvent>, after last: String?, heartbeat: Duration,
        to writer: inout any ResponseBodyWriter
    ) async throws {
        let (items, continuation) = AsyncStream.makeStream(of: StreamItem.self, bufferingPolicy: .bufferingNewest(512))
        var last = last
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in live { continuation.yield(.event(event)) }
                continuation.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: heartbeat)
                    continuation.yield(.heartbeat)
                }
            }
            for await item in items {
                switch item {
                case .event(let event):
                    guard event.isAfter(last) else { continue }
                    try await writer.write(ByteBuffer(string: frame(event)))
                    last = event.id
                case .heartbeat:
                    try await writer.write(ByteBuffer(string: ": ping\n\n"))
                }
            }
            group.cancelAll()
        }
    }

    /// One event in the Server-Sent Events format (`id:`, `event: message`, one `data:` line of JSON).
    static func frame(_ event: WebchatEvent) -> String {
        let data = (try? JSONEncoder().encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "id: \(event.id)\nevent: message\ndata: \(data)\n\n"
    }
}
