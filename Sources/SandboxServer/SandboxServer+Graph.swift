import Hummingbird

extension SandboxServer {
    /// Dispatches every Graph API path (versioned or not) by method and segments.
    func graph(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let input = try await RequestInput.read(request, context: context)
        let segments = input.segments
        let route = Self.graphRoute(method: request.method, segments: segments)
        if route != "authorize" {
            let (delay, fault) = state.drawFault(llm: false, route: route)
            try await pause(delay)
            if let fault {
                if route == "oauth" && request.method == .post {
                    return SandboxResponse.instagramOAuthError(
                        message: fault.message ?? "Matching code was not found or was already used",
                        code: fault.code ?? fault.status ?? 400, type: fault.type ?? "OAuthException")
                }
                return SandboxResponse.graphFault(fault)
            }
        }
        switch (request.method, route) {
        case (.get, "authorize"): return authorize(input)
        case (.post, "oauth"): return instagramCodeExchange(input)
        case (.get, "oauth"): return facebookTokenExchange(input)
        case (.get, "exchange"): return instagramLongLivedExchange(input)
        case (.get, "refresh"): return instagramRefresh(input)
        case (.get, "accounts"): return pages(input)
        case (.get, "me"): return me(input)
        case (.get, "profile"): return profile(input)
        case (.get, "conversations"): return conversations(input)
        case (.post, "send"): return send(input)
        case (.post, "subscribe"), (.get, "subscribe"), (.delete, "subscribe"): return subscribe(input, request.method)
        default:
            return SandboxResponse.graphError(
                code: 100, message: "Unsupported \(request.method) request. Unknown path components.",
                type: "GraphMethodException")
        }
    }

    /// The fault-injection route name of a Graph path.
    static func graphRoute(method: HTTPRequest.Method, segments: [String]) -> String {
        switch segments {
        case ["oauth", "authorize"], ["dialog", "oauth"]: return "authorize"
        case ["oauth", "access_token"]: return "oauth"
        case ["access_token"]: return "exchange"
        case ["refresh_access_token"]: return "refresh"
        case ["me", "accounts"]: return "accounts"
        case ["me"]: return "me"
        default:
            if segments.count == 2 && segments[1] == "messages" { return "send" }
            if segments.count == 2 && segments[1] == "subscribed_apps" { return "subscribe" }
            if segments.count == 2 && segments[1] == "conversations" { return "conversations" }
            if segments.count == 1 { return "profile" }
            return "unknown"
        }
    }

    /// `POST /{id}/messages`: validates like the Send API, records, answers `{"recipient_id","message_id"}`.
    func send(_ input: RequestInput) -> Response {
        let check = state.check(token: input.token)
        if let error = SandboxResponse.tokenError(check) { return error }
        guard let body = JSONValue.parse(input.body) else {
            return SandboxResponse.graphError(code: 100, message: "(#100) Invalid JSON for postbody")
        }
        guard let recipient = body["recipient"]?["id"]?.stringValue, !recipient.isEmpty else {
            return SandboxResponse.graphError(code: 100, message: "(#100) The parameter recipient is required")
        }
        let message = body["message"]
        let senderAction = body["sender_action"]?.stringValue
        let text = message?["text"]?.stringValue
        let attachment = message?["attachment"]
        if senderAction == nil {
            guard text != nil || attachment != nil else {
                return SandboxResponse.graphError(code: 100, message: "(#100) Must send either message or state")
            }
            if let text, text.utf8.count > 1000 {
                return SandboxResponse.graphError(
                    code: 100, message: "(#100) Length of param message[text] must be less than or equal to 1000")
            }
        }
        let quickReplies = message?["quick_replies"]?.arrayValue.compactMap { $0["title"]?.stringValue }
        if let quickReplies, quickReplies.count > 13 {
            return SandboxResponse.graphError(code: 100, message: "(#100) param message[quick_replies] is too long")
        }
        let messageID = senderAction == nil ? state.nextMessageID() : ""
        var tokenUser: String?
        if case .valid(let issued) = check, !issued.userID.isEmpty { tokenUser = issued.userID }
        state.record(
            sent: SentRecord(
                seq: 0, messageID: messageID, account: input.segments[0], apiVersion: input.version,
                recipient: recipient, text: text, attachmentType: attachment?["type"]?.stringValue,
                attachmentURL: attachment?["payload"]?["url"]?.stringValue, quickReplies: quickReplies,
                messagingType: body["messaging_type"]?.stringValue, tag: body["tag"]?.stringValue,
                senderAction: senderAction, tokenID: SandboxState.fingerprint(input.token ?? ""),
                tokenUserID: tokenUser, timeMs: SandboxState.nowMs()))
        if senderAction != nil { return SandboxResponse.object(["recipient_id": .string(recipient)]) }
        return SandboxResponse.object(["recipient_id": .string(recipient), "message_id": .string(messageID)])
    }

    /// `GET /{igsid}?fields=...`: a deterministic profile per user id.
    func profile(_ input: RequestInput) -> Response {
        if let error = SandboxResponse.tokenError(state.check(token: input.token)) { return error }
        let id = input.segments[0]
        let tail = String(id.suffix(4))
        let number = Double(id.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 100_000 })
        let all: [String: JSONValue] = [
            "name": .string("Sandbox User \(tail)"),
            "username": .string("user_\(tail)"),
            "profile_pic": .string("https://sandbox.invalid/profile/\(id).jpg"),
            "follower_count": .number(number),
            "is_user_follow_business": .bool(true),
            "is_business_follow_user": .bool(false),
            "is_verified_user": .bool(false),
        ]
        return SandboxResponse.object(Self.select(all, fields: input.fields, id: id))
    }

    /// `GET /me?fields=user_id,username,...`: the token's account; `id` differs from `user_id`, as on Meta.
    func me(_ input: RequestInput) -> Response {
        let check = state.check(token: input.token)
        if let error = SandboxResponse.tokenError(check) { return error }
        guard case .valid(let issued) = check else { return SandboxResponse.graphError(code: 190) }
        let userID = issued.userID.isEmpty ? state.configuration.oauthUserID : issued.userID
        let username = issued.username.isEmpty ? state.configuration.oauthUsername : issued.username
        if issued.kind == .facebookUser || issued.kind == .facebookLongLivedUser || issued.kind == .facebookPage {
            return SandboxResponse.object(["id": .string(userID), "name": .string("Sandbox \(username)")])
        }
        let all: [String: JSONValue] = [
            "user_id": .string(userID),
            "username": .string(username),
            "name": .string("Sandbox Shop"),
            "account_type": .string("BUSINESS"),
            "profile_picture_url": .string("https://sandbox.invalid/account/\(userID).jpg"),
            "followers_count": .number(1234),
        ]
        let fields = input.fields.isEmpty ? ["user_id", "username"] : input.fields
        return SandboxResponse.object(Self.select(all, fields: fields, id: "2" + String(userID.reversed())))
    }

    /// `POST|GET|DELETE /{id}/subscribed_apps`.
    func subscribe(_ input: RequestInput, _ method: HTTPRequest.Method) -> Response {
        if let error = SandboxResponse.tokenError(state.check(token: input.token)) { return error }
        let account = input.segments[0]
        switch method {
        case .post:
            let fields = (input.parameters["subscribed_fields"] ?? "").split(separator: ",").map(String.init)
            guard !fields.isEmpty else {
                return SandboxResponse.graphError(
                    code: 100, message: "(#100) The parameter subscribed_fields is required")
            }
            state.setSubscription(account: account, fields: fields)
            return SandboxResponse.object(["success": .bool(true)])
        case .delete:
            state.setSubscription(account: account, fields: nil)
            return SandboxResponse.object(["success": .bool(true)])
        default:
            let fields = state.subscription(account: account)
            let data: [JSONValue] =
                fields.map {
                    [
                        .object([
                            "id": .string("1234567890"), "name": .string("Woodstock Sandbox App"),
                            "subscribed_fields": .array($0.map { .string($0) }),
                        ])
                    ]
                } ?? []
            return SandboxResponse.object(["data": .array(data)])
        }
    }

    /// Keeps only the requested fields (all when none were asked for), plus `id`.
    static func select(_ all: [String: JSONValue], fields: [String], id: String) -> [String: JSONValue] {
        var result: [String: JSONValue] = ["id": .string(id)]
        for (key, value) in all where fields.isEmpty || fields.contains(key) { result[key] = value }
        return result
    }
}
