import Foundation
import Hummingbird
import Logging
import Store

extension TenantWeb {
    /// `GET /tenant/events[?conversation=<id>]`: Server-Sent Events. An `event: change` is sent whenever a
    /// message of the tenant (or of that conversation) is stored or changes state, or a conversation is taken
    /// over or handed back; a comment every 15 s keeps proxies from closing the stream. The stream ends after
    /// ``liveStreamLifetime`` (the browser reconnects by itself), when the client goes away, or on shutdown.
    func liveUpdates(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        var conversationID: UUID?
        if let text = request.uri.queryParameters.get("conversation") {
            guard let id = UUID(uuidString: String(text)),
                try await inbox.thread(tenantID: session.tenantID, conversationID: id, limit: 1) != nil
            else { return PageResponse.status(.notFound, message: "There is no such conversation.") }
            conversationID = id
        }
        let conversation = conversationID
        let inbox = self.inbox
        let tenantID = session.tenantID
        let interval = liveUpdateInterval
        let lifetime = liveStreamLifetime
        let logger = self.logger
        var headers = PageResponse.securityHeaders
        headers[.contentType] = "text/event-stream; charset=utf-8"
        let body = ResponseBody { writer in
            var last = try await inbox.fingerprint(tenantID: tenantID, conversationID: conversation)
            try await writer.write(ByteBuffer(string: "retry: 2000\nevent: ready\ndata: \(last.count)\n\n"))
            let clock = ContinuousClock()
            let end = clock.now.advanced(by: lifetime)
            var lastWrite = clock.now
            var sequence = 0
            while clock.now < end {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    break
                }
                let current = try await inbox.fingerprint(tenantID: tenantID, conversationID: conversation)
                if current != last {
                    last = current
                    sequence += 1
                    try await writer.write(ByteBuffer(string: "id: \(sequence)\nevent: change\ndata: \(sequence)\n\n"))
                    lastWrite = clock.now
                } else if clock.now - lastWrite >= .seconds(15) {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    lastWrite = clock.now
                }
            }
            logger.debug("live updates closed", metadata: ["tenant.id": "\(tenantID)"])
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The inbox's script: on a live `change`, reload the message list (thread page) or the page (list).
    static func script() -> Response {
        let source = """
            (function () {
              var root = document.querySelector('[data-live]');
              if (!root || !window.EventSource) { return; }
              var id = root.getAttribute('data-live');
              var url = '/tenant/events' + (id === 'all' ? '' : '?conversation=' + encodeURIComponent(id));
              var source = new EventSource(url);
              function refresh() {
                fetch('/tenant/inbox/' + id + '/messages', { credentials: 'same-origin' })
                  .then(function (r) { return r.ok ? r.text() : null; })
                  .then(function (html) {
                    if (html === null) { return; }
                    root.innerHTML = html;
                    root.scrollTop = root.scrollHeight;
                  });
              }
              source.addEventListener('change', function () {
                if (id === 'all') { window.location.reload(); return; }
                refresh();
              });
              // A message stored between the page's render and the stream's first fingerprint raises no
              // change: once connected (and after every reconnect), a thread reloads its messages once.
              source.addEventListener('ready', function () { if (id !== 'all') { refresh(); } });
              root.scrollTop = root.scrollHeight;
            })();
            """
        var headers = PageResponse.securityHeaders
        headers[.contentType] = "text/javascript; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: source)))
    }
}
