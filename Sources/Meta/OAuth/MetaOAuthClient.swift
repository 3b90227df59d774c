public import HTTP
public import Logging

/// The OAuth side of Meta: Instagram Login (code → short-lived → long-lived → refresh, `/me`) and Facebook Login
/// (code → user token → long-lived user token → Page tokens) — META.md §1.
///
/// ```swift
/// let oauth = MetaOAuthClient(http: http, configuration: graphConfiguration, credentials: credentials, logger: logger)
/// let short = try await oauth.exchangeInstagramCode(code, redirectURI: redirect)
/// let long = try await oauth.exchangeForLongLivedInstagramToken(short.accessToken)
/// let account = try await oauth.instagramAccount(token: long.accessToken)
/// ```
///
/// Where secrets travel: access tokens go in `Authorization: Bearer` wherever Meta takes them. The exceptions are
/// Meta's documented GET-only exchanges, where the *app secret* (and, for `fb_exchange_token`, the token being
/// exchanged, and for the Facebook code exchange the one-time code) are query parameters: Instagram
/// `GET /access_token?grant_type=ig_exchange_token&client_secret=…` (the short token itself in the header) and
/// Facebook `GET /oauth/access_token?client_secret=…&code=…|fb_exchange_token=…`. They go only to Meta over TLS;
/// ``HTTPClient`` never puts a query string in an error or log line. The Instagram code exchange is a POST form.
///
/// Errors: ``MetaError`` `.oauthError` or `.graphError` with a ``GraphErrorDetail``; see ``GraphClient``.
public struct MetaOAuthClient: Sendable {
    /// Hosts and version.
    public let configuration: GraphAPIConfiguration
    let credentials: MetaAppCredentials
    let transport: GraphTransport

    /// Creates a client.
    /// - Parameters:
    ///   - http: the shared HTTP client.
    ///   - configuration: hosts and version.
    ///   - credentials: app ids and secrets.
    ///   - logger: debug lines only, never tokens.
    public init(
        http: HTTPClient, configuration: GraphAPIConfiguration = .init(), credentials: MetaAppCredentials,
        logger: Logger
    ) {
        self.configuration = configuration
        self.credentials = credentials
        transport = GraphTransport(http: http, timeout: configuration.timeout, logger: logger)
    }

    // MARK: Instagram Login

    /// Exchanges the authorization code for a short-lived token (`POST api.instagram.com/oauth/access_token`).
    /// Parses both the `{"data":[…]}` and the flat answer; check ``InstagramShortLivedToken/permissions``.
    /// - Parameters:
    ///   - code: the `code` from the redirect (strip a trailing `#_`).
    ///   - redirectURI: exactly the redirect URI used in the authorize URL.
    /// - Returns: the short-lived token, the `user_id` and the granted scopes.
    /// - Throws: ``MetaError`` (`.oauthError` for a used or unknown code).
    public func exchangeInstagramCode(_ code: String, redirectURI: String) async throws -> InstagramShortLivedToken {
        let app = try credentials.instagram()
        let cleanCode = code.hasSuffix("#_") ? String(code.dropLast(2)) : code
        let reply = try await transport.send(
            .post, configuration.instagramAPIURL + "/oauth/access_token", token: nil,
            body: .form([
                ("client_id", app.id), ("client_secret", app.secret), ("grant_type", "authorization_code"),
                ("redirect_uri", redirectURI), ("code", cleanCode),
            ]), operation: "oauth code exchange")
        let entry = try transport.decode(
            InstagramCodeExchangeResponse.self, from: reply, operation: "oauth code exchange"
        )
        .entry
        return InstagramShortLivedToken(
            accessToken: entry.access_token, userID: entry.user_id.value, permissions: entry.permissions?.values ?? [])
    }

    /// Exchanges a short-lived Instagram token for a long-lived one (60 days).
    /// - Parameter shortLivedToken: the token from ``exchangeInstagramCode(_:redirectURI:)``.
    /// - Returns: the long-lived token and its lifetime.
    /// - Throws: ``MetaError``.
    public func exchangeForLongLivedInstagramToken(_ shortLivedToken: String) async throws -> IssuedToken {
        let app = try credentials.instagram()
        let reply = try await transport.send(
            .get, configuration.instagramGraphURL + "/access_token",
            query: [("grant_type", "ig_exchange_token"), ("client_secret", app.secret)], token: shortLivedToken,
            operation: "oauth long-lived exchange")
        return try issued(reply, operation: "oauth long-lived exchange")
    }

    /// Refreshes a long-lived Instagram token (at least 24 h old, not yet expired) for another 60 days.
    /// - Parameter longLivedToken: the current token.
    /// - Returns: the new token and its lifetime.
    /// - Throws: ``MetaError``; 190 means it can no longer be refreshed (reconnect).
    public func refreshInstagramToken(_ longLivedToken: String) async throws -> IssuedToken {
        let reply = try await transport.send(
            .get, configuration.instagramGraphURL + "/refresh_access_token",
            query: [("grant_type", "ig_refresh_token")], token: longLivedToken, operation: "oauth refresh")
        return try issued(reply, operation: "oauth refresh")
    }

    /// Identifies the connected account: `GET /<ver>/me?fields=user_id,username,name,account_type`.
    /// - Parameter token: the account's Instagram token.
    /// - Returns: the account; key the tenant on ``InstagramAccount/userID``.
    /// - Throws: ``MetaError``.
    public func instagramAccount(token: String) async throws -> InstagramAccount {
        let reply = try await transport.send(
            .get, configuration.graphBase(for: .instagram) + "/me",
            query: [("fields", "user_id,username,name,account_type")], token: token, operation: "me")
        let me = try transport.decode(InstagramMeResponse.self, from: reply, operation: "me")
        guard let userID = me.user_id?.value else {
            throw MetaError(.malformedPayload, message: "me: no user_id in the answer")
        }
        return InstagramAccount(userID: userID, username: me.username, name: me.name, accountType: me.account_type)
    }

    // MARK: Facebook Login

    /// Exchanges a Facebook Login code for a (short-lived) user token.
    /// - Parameters:
    ///   - code: the `code` from the redirect.
    ///   - redirectURI: exactly the redirect URI of the dialog.
    /// - Returns: the user token.
    /// - Throws: ``MetaError``.
    public func exchangeFacebookCode(_ code: String, redirectURI: String) async throws -> IssuedToken {
        let app = try credentials.meta()
        let reply = try await transport.send(
            .get, configuration.graphBase(for: .facebook) + "/oauth/access_token",
            query: [
                ("client_id", app.id), ("redirect_uri", redirectURI), ("client_secret", app.secret), ("code", code),
            ], token: nil, operation: "oauth facebook code exchange")
        return try issued(reply, operation: "oauth facebook code exchange")
    }

    /// Exchanges a short-lived Facebook user token for a long-lived one (~60 days), as Page tokens derived from it
    /// do not expire.
    /// - Parameter userToken: the short-lived user token.
    /// - Returns: the long-lived user token.
    /// - Throws: ``MetaError``.
    public func exchangeForLongLivedFacebookToken(_ userToken: String) async throws -> IssuedToken {
        let app = try credentials.meta()
        let reply = try await transport.send(
            .get, configuration.graphBase(for: .facebook) + "/oauth/access_token",
            query: [
                ("grant_type", "fb_exchange_token"), ("client_id", app.id), ("client_secret", app.secret),
                ("fb_exchange_token", userToken),
            ], token: nil, operation: "oauth facebook long-lived exchange")
        return try issued(reply, operation: "oauth facebook long-lived exchange")
    }

    /// The Pages the person manages, each with its Page token and linked Instagram account
    /// (`GET /me/accounts?fields=id,name,access_token,instagram_business_account,tasks`).
    /// - Parameter userToken: a long-lived user token (Page tokens from it do not expire).
    /// - Returns: the Pages.
    /// - Throws: ``MetaError``.
    public func facebookPages(userToken: String) async throws -> [FacebookPage] {
        let reply = try await transport.send(
            .get, configuration.graphBase(for: .facebook) + "/me/accounts",
            query: [("fields", "id,name,access_token,instagram_business_account,tasks")], token: userToken,
            operation: "pages")
        return try transport.decode(PagesResponse.self, from: reply, operation: "pages").data.map {
            FacebookPage(
                id: $0.id.value, name: $0.name, accessToken: $0.access_token,
                instagramBusinessAccountID: $0.instagram_business_account?.id.value, tasks: $0.tasks ?? [])
        }
    }

    private func issued(_ reply: GraphTransport.Reply, operation: String) throws -> IssuedToken {
        let token = try transport.decode(TokenResponse.self, from: reply, operation: operation)
        return IssuedToken(accessToken: token.access_token, tokenType: token.token_type, expiresIn: token.expires_in)
    }
}
