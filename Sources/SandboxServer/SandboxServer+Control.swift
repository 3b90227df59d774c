import Foundation
import Hummingbird

extension SandboxServer {
    /// A token to register through `POST /_sandbox/tokens`.
    struct TokenRegistration: Codable {
        var token: String
        var userID: String?
        var username: String?
        var permissions: String?
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case token
            case userID = "user_id"
            case username, permissions
            case expiresIn = "expires_in"
        }
    }

    /// The control API under `/_sandbox`, for tests, the demo and benchmarks.
    func addControlRoutes(to router: Router<BasicRequestContext>) {
        let control = router.group("_sandbox")
        control.get("health") { _, _ in SandboxResponse.object(["ok": .bool(true)]) }
        control.get("faults") { _, _ in SandboxResponse.json(self.state.faults) }
        control.post("faults") { request, context in
            let input = try await RequestInput.read(request, context: context)
            guard let faults = try? JSONDecoder().decode(SandboxFaults.self, from: Data(input.body)) else {
                return SandboxResponse.object(["error": .string("invalid faults JSON")], status: .badRequest)
            }
            self.state.faults = faults
            return SandboxResponse.json(faults)
        }
        control.post("reset") { _, _ in
            self.state.reset()
            return SandboxResponse.object(["reset": .bool(true)])
        }
        control.get("sent") { request, _ in
            let query = request.uri.queryParameters
            let since = query["since"].flatMap { Int($0) } ?? 0
            let recipient = query["recipient"].map(String.init)
            let account = query["account"].map(String.init)
            let records = self.state.sentRecords.filter { record in
                record.seq > since && (recipient.map { $0 == record.recipient } ?? true)
                    && (account.map { $0 == record.account } ?? true)
            }
            return SandboxResponse.json(.array(records.map(\.jsonValue)))
        }
        control.get("llm-calls") { request, _ in
            let since = request.uri.queryParameters["since"].flatMap { Int($0) } ?? 0
            return SandboxResponse.json(.array(self.state.llmCallRecords.filter { $0.seq > since }.map(\.jsonValue)))
        }
        control.post("oauth") { request, context in
            let input = try await RequestInput.read(request, context: context)
            guard let behaviour = try? JSONDecoder().decode(OAuthBehaviour.self, from: Data(input.body)) else {
                return SandboxResponse.object(["error": .string("invalid oauth JSON")], status: .badRequest)
            }
            self.state.oauthBehaviour = behaviour
            return SandboxResponse.json(behaviour)
        }
        control.post("tokens") { request, context in
            let input = try await RequestInput.read(request, context: context)
            guard let registration = try? JSONDecoder().decode(TokenRegistration.self, from: Data(input.body)) else {
                return SandboxResponse.object(["error": .string("invalid token JSON")], status: .badRequest)
            }
            let configuration = self.state.configuration
            self.state.register(
                token: registration.token,
                as: IssuedToken(
                    kind: .instagramLongLived, userID: registration.userID ?? configuration.oauthUserID,
                    username: registration.username ?? configuration.oauthUsername,
                    permissions: registration.permissions ?? configuration.oauthPermissions,
                    expiresAtMs: registration.expiresIn.map { SandboxState.nowMs() + Int64($0) * 1000 }))
            return SandboxResponse.object(["token_id": .string(SandboxState.fingerprint(registration.token))])
        }
        control.post("tokens/expire") { request, context in
            let input = try await RequestInput.read(request, context: context)
            guard let token = JSONValue.parse(input.body)?["token"]?.stringValue else {
                return SandboxResponse.object(["error": .string("missing token")], status: .badRequest)
            }
            let expired = self.state.expire(token: token)
            return SandboxResponse.object(["expired": .bool(expired)], status: expired ? .ok : .notFound)
        }
    }
}
