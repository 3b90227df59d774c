import Foundation
import Hummingbird

extension SandboxServer {
    static let longLivedSeconds = 5_183_944
    static let shortLivedSeconds = 3_600

    /// `GET /oauth/authorize` (and `/dialog/oauth`): redirects at once to `redirect_uri` with `code` and `state`,
    /// or with `error=access_denied` when logins are configured to be denied. `sandbox_user_id` picks the account.
    func authorize(_ input: RequestInput) -> Response {
        guard let redirect = input.parameters["redirect_uri"], !redirect.isEmpty else {
            return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "missing redirect_uri")))
        }
        var query: [(String, String)]
        if let code = state.issueCode(redirectURI: redirect, userID: input.parameters["sandbox_user_id"]) {
            query = [("code", code)]
        } else {
            query = [
                ("error", "access_denied"), ("error_reason", "user_denied"),
                ("error_description", "The user denied your request"),
            ]
        }
        if let stateValue = input.parameters["state"] { query.append(("state", stateValue)) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = query.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        let separator = redirect.contains("?") ? "&" : "?"
        let suffix = query.first?.0 == "code" ? "#_" : ""
        let location = redirect + separator + encoded.joined(separator: "&") + suffix
        return Response(status: .found, headers: [.location: location])
    }

    /// `POST /oauth/access_token` (api.instagram.com, form-encoded): code → short-lived Instagram token.
    func instagramCodeExchange(_ input: RequestInput) -> Response {
        let parameters = input.parameters
        for name in ["client_id", "client_secret", "redirect_uri", "code"] where (parameters[name] ?? "").isEmpty {
            return SandboxResponse.instagramOAuthError(message: "Missing required field \(name)")
        }
        guard parameters["grant_type"] == "authorization_code" else {
            return SandboxResponse.instagramOAuthError(message: "Invalid grant_type")
        }
        guard let code = parameters["code"],
            let pending = state.redeemCode(code, redirectURI: parameters["redirect_uri"])
        else {
            return SandboxResponse.instagramOAuthError(message: "Matching code was not found or was already used")
        }
        let token = state.issueToken(
            kind: .instagramShortLived, userID: pending.userID, username: pending.username,
            permissions: pending.permissions, lifetimeSeconds: Self.shortLivedSeconds)
        return SandboxResponse.object([
            "data": .array([
                .object([
                    "access_token": .string(token), "user_id": .string(pending.userID),
                    "permissions": .string(pending.permissions),
                ])
            ])
        ])
    }

    /// `GET /access_token?grant_type=ig_exchange_token&client_secret=…`: short-lived → long-lived (60 days).
    func instagramLongLivedExchange(_ input: RequestInput) -> Response {
        guard input.parameters["grant_type"] == "ig_exchange_token" else {
            return SandboxResponse.graphError(code: 100, message: "Unsupported grant_type", type: "OAuthException")
        }
        guard !(input.parameters["client_secret"] ?? "").isEmpty else {
            return SandboxResponse.graphError(code: 100, message: "Missing client_secret", type: "OAuthException")
        }
        return reissue(input, as: .instagramLongLived, lifetime: Self.longLivedSeconds)
    }

    /// `GET /refresh_access_token?grant_type=ig_refresh_token`: a fresh 60-day token.
    func instagramRefresh(_ input: RequestInput) -> Response {
        guard input.parameters["grant_type"] == "ig_refresh_token" else {
            return SandboxResponse.graphError(code: 100, message: "Unsupported grant_type", type: "OAuthException")
        }
        return reissue(input, as: .instagramLongLived, lifetime: Self.longLivedSeconds)
    }

    /// `GET /oauth/access_token`: Facebook Login code exchange, or `grant_type=fb_exchange_token`.
    func facebookTokenExchange(_ input: RequestInput) -> Response {
        let parameters = input.parameters
        guard !(parameters["client_secret"] ?? "").isEmpty, !(parameters["client_id"] ?? "").isEmpty else {
            return SandboxResponse.graphError(
                code: 101, message: "Error validating application. Invalid application ID.", type: "OAuthException")
        }
        if parameters["grant_type"] == "fb_exchange_token" {
            var input = input
            input.token = parameters["fb_exchange_token"]
            return reissue(input, as: .facebookLongLivedUser, lifetime: Self.longLivedSeconds)
        }
        guard let code = parameters["code"],
            let pending = state.redeemCode(code, redirectURI: parameters["redirect_uri"])
        else {
            return SandboxResponse.graphError(
                code: 100, subcode: 36_009, message: "This authorization code has been used.", type: "OAuthException")
        }
        let token = state.issueToken(
            kind: .facebookUser, userID: pending.userID, username: pending.username,
            permissions: pending.permissions, lifetimeSeconds: Self.shortLivedSeconds)
        return tokenBody(token, lifetime: Self.shortLivedSeconds)
    }

    /// `GET /me/accounts`: one Page, with a non-expiring Page token and its linked Instagram account.
    func pages(_ input: RequestInput) -> Response {
        let check = state.check(token: input.token)
        if let error = SandboxResponse.tokenError(check) { return error }
        guard case .valid(let user) = check else { return SandboxResponse.graphError(code: 190) }
        let igID = user.userID.isEmpty ? state.configuration.oauthUserID : user.userID
        let pageID = "1010" + String(igID.suffix(11))
        let pageToken = state.issueToken(
            kind: .facebookPage, userID: pageID, username: user.username, permissions: user.permissions,
            lifetimeSeconds: nil)
        let page: JSONValue = .object([
            "id": .string(pageID), "name": .string("Sandbox Page"), "access_token": .string(pageToken),
            "category": .string("Shopping & retail"),
            "tasks": .array(
                ["ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"].map { .string($0) }),
            "instagram_business_account": .object(["id": .string(igID)]),
        ])
        return SandboxResponse.object(["data": .array([page])])
    }

    /// Checks the presented token and issues a new one of `kind` for the same account.
    private func reissue(_ input: RequestInput, as kind: IssuedToken.Kind, lifetime: Int) -> Response {
        let check = state.check(token: input.token)
        if let error = SandboxResponse.tokenError(check) { return error }
        guard case .valid(let old) = check else { return SandboxResponse.graphError(code: 190) }
        let token = state.issueToken(
            kind: kind, userID: old.userID.isEmpty ? state.configuration.oauthUserID : old.userID,
            username: old.username.isEmpty ? state.configuration.oauthUsername : old.username,
            permissions: old.permissions, lifetimeSeconds: lifetime)
        return tokenBody(token, lifetime: lifetime)
    }

    private func tokenBody(_ token: String, lifetime: Int) -> Response {
        SandboxResponse.object([
            "access_token": .string(token), "token_type": .string("bearer"), "expires_in": .number(Double(lifetime)),
        ])
    }
}
