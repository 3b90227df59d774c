import Foundation
import Hummingbird
import Logging
import Store

extension TenantWeb {
    func addInboxRoutes(to group: RouterGroup<PageRequestContext>) {
        group.get("inbox") { request, context in try await inboxPage(request, context) }
        group.get("inbox/:id") { request, context in try await threadPage(request, context) }
        group.get("inbox/:id/messages") { request, context in try await messagesFragment(request, context) }
        group.post("inbox/:id/takeover") { request, context in try await switchTakeover(true, request, context) }
        group.post("inbox/:id/handback") { request, context in try await switchTakeover(false, request, context) }
        group.post("inbox/:id/reply") { request, context in try await reply(request, context) }
        group.get("events") { request, context in try await liveUpdates(request, context) }
        group.get("inbox.js") { _, _ in Self.script() }
    }

    func inboxPage(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        let rows = try await inbox.conversations(tenantID: session.tenantID)
        let list: [[String: Any]] = rows.map { row in
            [
                "id": row.conversation.id.uuidString.lowercased(),
                "customer": row.customerUsername.map { "@\($0)" } ?? row.customerPlatformID,
                "platform": row.platform.rawValue, "preview": String((row.lastMessageText ?? "…").prefix(80)),
                "at": row.lastMessageAt.map(Self.time) ?? "", "count": row.messageCount,
                "takenOver": row.conversation.isTakenOver,
            ]
        }
        return page(
            "inbox-list", title: "Inbox",
            context: ["conversations": list, "hasConversations": !list.isEmpty, "live": "all"],
            chrome: chrome(session, path: "/tenant/inbox"))
    }

    /// The conversation of the request's `:id`, if it is the session's tenant's.
    func requestedThread(_ request: Request, _ session: TenantSession) async throws -> InboxThread? {
        guard let id = Self.segment(request, 2).flatMap(UUID.init(uuidString:)) else { return nil }
        return try await inbox.thread(tenantID: session.tenantID, conversationID: id)
    }

    func threadPage(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        guard let thread = try await requestedThread(request, session) else {
            return PageResponse.status(.notFound, message: "There is no such conversation.")
        }
        let notice = Self.notice(request)
        return page(
            "inbox-thread", title: "Conversation", context: threadContext(thread),
            chrome: chrome(session, path: "/tenant/inbox", notice: notice?.0, isError: notice?.1 ?? false))
    }

    func messagesFragment(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        guard let thread = try await requestedThread(request, session) else {
            return PageResponse.status(.notFound, message: "There is no such conversation.")
        }
        do {
            return PageResponse.html(try renderer.render("inbox-messages", context: threadContext(thread)))
        } catch {
            logger.error("inbox fragment failed", metadata: ["error": "\(error)"])
            return PageResponse.status(.internalServerError, message: "Something went wrong.")
        }
    }

    func threadContext(_ thread: InboxThread) -> [String: Any] {
        let customer = thread.customer.username.map { "@\($0)" } ?? thread.customer.platformUserID
        return [
            "id": thread.conversation.id.uuidString.lowercased(), "customer": customer,
            "platform": thread.customer.platform.rawValue, "takenOver": thread.conversation.isTakenOver,
            "takenOverBy": thread.conversation.takenOverBy ?? "",
            "window": thread.window.explanation, "canReply": thread.window.allowsHumanReply,
            "isTagged": thread.window == .humanAgent,
            "messages": thread.messages.map { message -> [String: Any] in
                let inbound = message.direction == .inbound
                return [
                    "text": message.isDeleted ? "(deleted by the customer)" : (message.body ?? "(attachment)"),
                    "inbound": inbound, "ai": !inbound && message.isAI, "human": !inbound && !message.isAI,
                    "failed": message.sendState == .failed, "pending": message.sendState == .pending,
                    "at": Self.time(message.createdAt),
                ]
            },
            "hasMessages": !thread.messages.isEmpty,
        ]
    }

    func switchTakeover(_ takeOver: Bool, _ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        guard let thread = try await requestedThread(request, session) else {
            return PageResponse.status(.notFound, message: "There is no such conversation.")
        }
        let id = thread.conversation.id
        if takeOver {
            try await inbox.takeOver(tenantID: session.tenantID, conversationID: id, by: session.email)
        } else {
            try await inbox.handBack(tenantID: session.tenantID, conversationID: id, by: session.email)
        }
        return Self.redirect(
            "/tenant/inbox/\(id.uuidString.lowercased())",
            notice: takeOver
                ? "You took this conversation over: the assistant stays silent until you hand it back."
                : "Handed back: the assistant answers new messages again.")
    }

    func reply(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let session = try tenantSession(context)
        guard let thread = try await requestedThread(request, session) else {
            return PageResponse.status(.notFound, message: "There is no such conversation.")
        }
        let id = thread.conversation.id
        let outcome = try await inbox.reply(
            context.form["text"] ?? "", tenantID: session.tenantID, conversationID: id, by: session.email)
        let path = "/tenant/inbox/\(id.uuidString.lowercased())"
        switch outcome {
        case .sent(_, let tagged):
            return Self.redirect(path, notice: tagged ? "Sent as a human agent's reply (HUMAN_AGENT)." : "Sent.")
        case .refused(let refusal):
            return Self.redirect(path, notice: refusal.message, isError: true)
        }
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
