import Foundation
import Hummingbird

/// The Conversations API, answered from the sandbox's record of sent messages.
///
/// Wire format (Instagram API with Instagram Login, "Get Conversations",
/// https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/conversations-api; Messenger
/// Platform "Conversations API", https://developers.facebook.com/docs/messenger-platform/conversations):
/// `GET /{ig-id|page-id|me}/conversations?platform=instagram|messenger&user_id=<IGSID|PSID>&fields=…` answers
/// `{"data":[{"id":"<conversation id>","updated_time":"…"}],"paging":{"cursors":{"before","after"}}}`; with
/// `fields=messages.limit(N){id,created_time,from,to,message}` each conversation carries its messages, newest first:
/// `{"id","created_time":"2026-11-26T05:16:40+0000","from":{"username","id"},"to":{"data":[{"username","id"}]},
/// "message":"text"}` (Messenger: `name` and `email` instead of `username`). Limits: 2 calls per second per account
/// (``SandboxFaults/conversationsLimit``; over it: error 613), route name `conversations` in fault rules.
///
/// The sandbox only knows what the business sent through it (the customers' messages go to the relay as webhooks),
/// so a conversation here lists the business account's messages to one customer.
extension SandboxServer {
    static let conversationFields: Set<String> = ["id", "updated_time", "messages", "message_count", "participants"]
    static let messageFields: Set<String> = ["id", "created_time", "from", "to", "message"]

    /// `GET /{id|me}/conversations`.
    func conversations(_ input: RequestInput) -> Response {
        let check = state.check(token: input.token)
        if let error = SandboxResponse.tokenError(check) { return error }
        var owner = (userID: state.configuration.oauthUserID, username: state.configuration.oauthUsername)
        if case .valid(let issued) = check, !issued.userID.isEmpty {
            owner = (issued.userID, issued.username.isEmpty ? owner.username : issued.username)
        }
        let account = input.segments[0] == "me" ? owner.userID : input.segments[0]
        let platform = input.parameters["platform"] ?? "instagram"
        guard platform == "instagram" || platform == "messenger" else {
            return SandboxResponse.graphError(
                code: 100, message: "(#100) param platform must be one of {MESSENGER, INSTAGRAM} - got \"\(platform)\"",
                type: "OAuthException")
        }
        guard let fields = GraphFieldSelection.parse(input.parameters["fields"] ?? "id,updated_time") else {
            return SandboxResponse.graphError(code: 100, message: "(#100) Syntax error in the fields parameter")
        }
        if let unknown = Self.unknownField(fields, allowed: Self.conversationFields) {
            return Self.nonexistingField(unknown, node: "Conversation")
        }
        let messages = GraphFieldSelection.field("messages", in: fields)
        let messageFields = messages?.subfields ?? [.init(name: "id"), .init(name: "created_time")]
        if let unknown = Self.unknownField(messageFields, allowed: Self.messageFields) {
            return Self.nonexistingField(unknown, node: "Message")
        }
        guard state.admitConversationsCall(account: account) else {
            return SandboxResponse.graphError(
                code: 613, message: "(#613) Calls to this api have exceeded the rate limit.")
        }
        let people = Participants(
            business: (account, account == owner.userID ? owner.username : "sandbox_\(account.suffix(4))"),
            isMessenger: platform == "messenger")
        var threads: [String: [SentRecord]] = [:]
        for record in state.messagesSent(by: account)
        where input.parameters["user_id"].map({ $0 == record.recipient }) ?? true {
            threads[record.recipient, default: []].append(record)
        }
        let ordered = threads.sorted { ($0.value.last?.seq ?? 0) > ($1.value.last?.seq ?? 0) }
        let page = Self.page(ordered, limit: Int(input.parameters["limit"] ?? ""), after: input.parameters["after"])
        let data: [JSONValue] = page.items.map { thread in
            let (customer, sent) = (thread.key, thread.value)
            var conversation: [String: JSONValue] = [:]
            for field in fields {
                switch field.name {
                case "id": conversation["id"] = .string(Self.conversationID(account: account, customer: customer))
                case "updated_time": conversation["updated_time"] = .string(GraphTime.format(sent.last?.timeMs ?? 0))
                case "message_count": conversation["message_count"] = .number(Double(sent.count))
                case "participants":
                    conversation["participants"] = .object([
                        "data": .array([people.customerPerson(customer), people.businessPerson()])
                    ])
                default:
                    let newestFirst = Array(sent.reversed())
                    let messagesPage = Self.page(newestFirst, limit: field.limit, after: nil)
                    conversation["messages"] = .object([
                        "data": .array(messagesPage.items.map { people.message($0, fields: messageFields) }),
                        "paging": messagesPage.paging,
                    ])
                }
            }
            return .object(conversation)
        }
        return SandboxResponse.object(["data": .array(data), "paging": page.paging])
    }

    /// One page of `items` (default 25, at most 100) after the opaque cursor `after`.
    static func page<Item>(_ items: [Item], limit: Int?, after: String?) -> (items: [Item], paging: JSONValue) {
        let size = min(max(limit ?? 25, 1), 100)
        let start = after.flatMap(cursorIndex).map { $0 + 1 } ?? 0
        let slice = start < items.count ? Array(items[start..<min(items.count, start + size)]) : []
        guard !slice.isEmpty else { return ([], .object(["cursors": .object([:])])) }
        let cursors: JSONValue = .object([
            "before": .string(cursor(start)), "after": .string(cursor(start + slice.count - 1)),
        ])
        return (slice, .object(["cursors": cursors]))
    }

    static func cursor(_ index: Int) -> String { Data("sandbox:\(index)".utf8).base64EncodedString() }

    static func cursorIndex(_ cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("sandbox:")
        else { return nil }
        return Int(text.dropFirst("sandbox:".count))
    }

    static func conversationID(account: String, customer: String) -> String {
        "aWdfZAG06" + SandboxState.fingerprint("\(account):\(customer)").dropFirst(4)
    }

    static func unknownField(_ fields: [GraphFieldSelection], allowed: Set<String>) -> String? {
        fields.first { !allowed.contains($0.name) }?.name
    }

    static func nonexistingField(_ name: String, node: String) -> Response {
        SandboxResponse.graphError(
            code: 100, message: "(#100) Tried accessing nonexisting field (\(name)) on node type (\(node))",
            type: "IGApiException")
    }

    /// The two sides of a sandbox conversation as Meta describes people: Instagram `{"username","id"}`, Messenger
    /// `{"name","email","id"}`.
    struct Participants {
        let business: (id: String, username: String)
        let isMessenger: Bool

        func person(id: String, username: String) -> JSONValue {
            if isMessenger {
                return .object(["id": .string(id), "name": .string(username), "email": .string("\(id)@facebook.com")])
            }
            return .object(["id": .string(id), "username": .string(username)])
        }

        func businessPerson() -> JSONValue { person(id: business.id, username: business.username) }

        func customerPerson(_ id: String) -> JSONValue { person(id: id, username: "user_\(id.suffix(4))") }

        func message(_ record: SentRecord, fields: [GraphFieldSelection]) -> JSONValue {
            var message: [String: JSONValue] = [:]
            for field in fields {
                switch field.name {
                case "id": message["id"] = .string(record.messageID)
                case "created_time": message["created_time"] = .string(GraphTime.format(record.timeMs))
                case "from": message["from"] = businessPerson()
                case "to": message["to"] = .object(["data": .array([customerPerson(record.recipient)])])
                default: message["message"] = .string(record.text ?? "")
                }
            }
            return .object(message)
        }
    }
}
