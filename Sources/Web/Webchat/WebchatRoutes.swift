import Foundation
import HTTPTypes
public import Hummingbird
import Jobs
import Logging
import Messaging
import Meta
import NIOCore
import Store

/// Adds the webchat channel's routes to a router.
///
/// - `GET /webchat/widget.js?tenant=…`: the script a tenant pastes on their site (see ``WebchatWidget``).
/// - `POST /webchat/{tenant}/visitors`: issues a visitor id and its token (201), counted against the tenant's
///   rate limit.
/// - `POST /webchat/{tenant}/messages` (`X-Webchat-Token`, JSON `{"text": …}`): validates, rate-limits (429 with
///   `Retry-After`), appends the message to the visitor's conversation stream and enqueues `process-message`
///   with platform `webchat` and the generated message id as unique key; 202 `{"id", "eventID"}`.
/// - `GET /webchat/{tenant}/events` (`X-Webchat-Token`, optional `Last-Event-ID`): Server-Sent Events of the
///   visitor's conversation: first what came after `Last-Event-ID` (everything retained without it), then
///   each new event as it is published, with a comment line every heartbeat interval. The stream ends when
///   the hub stops (graceful shutdown).
/// - `OPTIONS` on each: CORS preflight.
///
/// Answers: unknown tenant 404; tier without webchat, disabled tenant, missing, forged, expired or another
/// tenant's token, or an `Origin` outside the tenant's `webchat.origins` 403; unexpected errors a bare 500
/// (detail in the log). CORS headers name the request's origin when it is allowed.
/// - Parameters:
///   - router: The router to add to.
///   - service: What the routes use.
public func addWebchatRoutes<Context: RequestContext>(to router: Router<Context>, service: WebchatService) {
    let routes = WebchatRoutes(service: service)
    router.get("webchat/widget.js") { _, _ in WebchatWidget.response() }
    for path in ["webchat/:tenant/visitors", "webchat/:tenant/messages", "webchat/:tenant/events"] {
        router.on(RouterPath(path), method: .options) { request, context in
            await routes.preflight(request, tenant: context.parameters.get("tenant"))
        }
    }
    router.post("webchat/:tenant/visitors") { request, context in
        await routes.issueVisitor(request, tenant: context.parameters.get("tenant"))
    }
    router.post("webchat/:tenant/messages") { request, context in
        await routes.postMessage(request, tenant: context.parameters.get("tenant"))
    }
    router.get("webchat/:tenant/events") { request, context in
        await routes.events(request, tenant: context.parameters.get("tenant"))
    }
}

/// The handlers behind ``addWebchatRoutes(to:service:)``.
struct WebchatRoutes: Sendable {
    let service: WebchatService

    /// The outcome of the checks every webchat request passes first.
    enum Admission {
        case refused(Response)
        case admitted(WebchatTenant, origin: String?)
    }

    /// Tenant known, origin allowed, tier includes webchat, tenant active.
    func admit(_ request: Request, tenant text: String?) async throws -> Admission {
        let origin = request.headers[.origin]
        guard let text, let tenantID = TenantID(text), let tenant = try await service.directory.lookup(tenantID)
        else { return .refused(WebchatHTTP.error(.notFound, "unknown tenant", origin: nil)) }
        guard tenant.allows(origin: origin) else {
            return .refused(WebchatHTTP.error(.forbidden, "origin not allowed", origin: nil))
        }
        guard tenant.includesWebchat else {
            return .refused(WebchatHTTP.error(.forbidden, "webchat is not included in this plan", origin: origin))
        }
        guard tenant.isActive else {
            return .refused(WebchatHTTP.error(.forbidden, "webchat is disabled", origin: origin))
        }
        return .admitted(tenant, origin: origin)
    }

    /// Admission plus a valid visitor token for this tenant.
    func admitVisitor(_ request: Request, tenant text: String?) async throws -> (Admission, visitorID: String?) {
        let admission = try await admit(request, tenant: text)
        guard case .admitted(let tenant, let origin) = admission else { return (admission, nil) }
        guard
            let visitorID = service.tokens.visitorID(
                from: request.headers[WebchatHTTP.tokenField], tenantID: tenant.tenantID.description)
        else { return (.refused(WebchatHTTP.error(.forbidden, "invalid visitor token", origin: origin)), nil) }
        return (admission, visitorID)
    }

    func preflight(_ request: Request, tenant: String?) async -> Response {
        await handling {
            switch try await admit(request, tenant: tenant) {
            case .refused(let response): return response
            case .admitted(_, let origin): return WebchatHTTP.preflight(origin)
            }
        }
    }

    func issueVisitor(_ request: Request, tenant text: String?) async -> Response {
        await handling {
            let admission = try await admit(request, tenant: text)
            guard case .admitted(let tenant, let origin) = admission else { return try await refusal(of: admission) }
            let tenantID = tenant.tenantID.description
            if let wait = try await service.limiter.admit(tenantID: tenantID, visitorID: nil) {
                return tooMany(wait, origin: origin)
            }
            let (visitorID, token) = try service.tokens.issue(tenantID: tenantID)
            return WebchatHTTP.json(.created, WebchatVisitorIssued(visitorID: visitorID, token: token), origin: origin)
        }
    }

    func postMessage(_ request: Request, tenant text: String?) async -> Response {
        await handling {
            let (admission, visitor) = try await admitVisitor(request, tenant: text)
            guard case .admitted(let tenant, let origin) = admission, let visitorID = visitor else {
                return try await refusal(of: admission)
            }
            let limit = service.configuration.maxTextBytes
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit * 6 + 1_024)
            } catch {
                return WebchatHTTP.error(.contentTooLarge, "message too long", origin: origin)
            }
            guard let posted = try? JSONDecoder().decode(WebchatPostedMessage.self, from: Data(body.readableBytesView))
            else { return WebchatHTTP.error(.badRequest, "expected JSON {\"text\": \"…\"}", origin: origin) }
            let message = posted.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !message.isEmpty else { return WebchatHTTP.error(.badRequest, "empty message", origin: origin) }
            guard message.utf8.count <= limit else {
                return WebchatHTTP.error(.contentTooLarge, "message too long", origin: origin)
            }
            let tenantID = tenant.tenantID.description
            if let wait = try await service.limiter.admit(tenantID: tenantID, visitorID: visitorID) {
                return tooMany(wait, origin: origin)
            }
            let messageID = WebchatInbound.newMessageID()
            let published = try await service.channel.publish(
                WebchatEvent(role: .visitor, text: message, messageID: messageID), tenantID: tenantID,
                visitorID: visitorID)
            let event = WebchatInbound.event(
                text: message, tenantID: tenant.tenantID, visitorID: visitorID, messageID: messageID)
            try await service.jobs.enqueue(
                name: MessagingModule.processMessageJob, payload: event, uniqueKey: messageID,
                group: WebchatInbound.jobGroup(tenantID: tenant.tenantID, visitorID: visitorID))
            service.logger.debug(
                "webchat message accepted", metadata: ["tenant.id": "\(tenantID)", "message.mid": "\(messageID)"])
            return WebchatHTTP.json(.accepted, WebchatAccepted(id: messageID, eventID: published.id), origin: origin)
        }
    }

    func refusal(of admission: Admission) async throws -> Response {
        if case .refused(let response) = admission { return response }
        return Response(status: .internalServerError)
    }

    func tooMany(_ seconds: Int, origin: String?) -> Response {
        var response = WebchatHTTP.error(.tooManyRequests, "too many messages, slow down", origin: origin)
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    /// Runs a handler; an unexpected error becomes a bare 500 and a log line.
    func handling(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            service.logger.error("webchat request failed", metadata: ["error": "\(error)"])
            return Response(status: .internalServerError)
        }
    }
}
