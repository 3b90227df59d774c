import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Redis
import TestSupport
import Testing
import Web

@Suite struct SessionGuardTests {
    static let cookie = SessionCookie(name: "test_session", path: "/app", security: .fromRequest)

    static func withApp(
        clock: TestClock = TestClock(), _ body: @Sendable (SessionStore, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await SessionStoreTests.withStore(lifetime: .seconds(600), clock: clock) { store, _ in
            let router = Router(context: BasicRequestContext.self)
            let pages = router.group("app", context: PageRequestContext.self)
                .add(
                    middleware: SessionGuard(store: store, cookie: cookie, loginPath: "/app/login") {
                        $0.subject == "admin"
                    })
            pages.get("login") { _, context in "login page, session: \(context.session != nil)" }
            pages.post("login") { _, context in "login posted \(context.form["password"] ?? "")" }
            pages.get("home") { _, context in "home of \(try context.requireSession().subject)" }
            pages.post("act") { _, context in "acted \(context.form["what"] ?? "")" }
            try await Application(router: router).test(.router) { client in try await body(store, client) }
        }
    }

    static func headers(_ session: WebSession?, form: Bool = false) -> HTTPFields {
        var fields = HTTPFields()
        if let session { fields[.cookie] = "test_session=\(session.id)" }
        if form { fields[.contentType] = "application/x-www-form-urlencoded" }
        return fields
    }

    @Test("no cookie, a bad cookie or an expired session gets 303 to the login page")
    func refusesWithoutSession() async throws {
        let clock = TestClock()
        try await Self.withApp(clock: clock) { store, client in
            try await client.execute(uri: "/app/home?tab=1", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/app/login?next=/app/home%3Ftab%3D1")
            }
            try await client.execute(
                uri: "/app/home", method: .get, headers: [.cookie: "test_session=garbage"]
            ) { response in
                #expect(response.status == .seeOther)
            }
            let session = try await store.create(subject: "admin")
            try await client.execute(uri: "/app/home", method: .get, headers: Self.headers(session)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "home of admin")
            }
            clock.advance(601)
            try await client.execute(uri: "/app/home", method: .get, headers: Self.headers(session)) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/app/login") == true)
            }
        }
    }

    @Test("an anonymous or foreign session cannot open guarded pages")
    func refusesWrongSubject() async throws {
        try await Self.withApp { store, client in
            for subject in [WebSession.anonymousSubject, "tenant:1"] {
                let session = try await store.create(subject: subject)
                try await client.execute(uri: "/app/home", method: .get, headers: Self.headers(session)) { response in
                    #expect(response.status == .seeOther)
                }
            }
        }
    }

    @Test("a POST with a missing or wrong CSRF token gets 403 and never reaches the handler")
    func csrf() async throws {
        try await Self.withApp { store, client in
            let session = try await store.create(subject: "admin")
            for body in ["what=x", "what=x&_csrf=", "what=x&_csrf=\(session.csrfToken)x"] {
                try await client.execute(
                    uri: "/app/act", method: .post, headers: Self.headers(session, form: true),
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .forbidden)
                    #expect(!String(buffer: response.body).contains("acted"))
                }
            }
            let other = try await store.create(subject: "admin")
            try await client.execute(
                uri: "/app/act", method: .post, headers: Self.headers(session, form: true),
                body: ByteBuffer(string: "what=x&_csrf=\(other.csrfToken)")
            ) { response in
                #expect(response.status == .forbidden, "another session's token is not this session's")
            }
            try await client.execute(
                uri: "/app/act", method: .post, headers: Self.headers(session, form: true),
                body: ByteBuffer(string: "what=x&_csrf=\(session.csrfToken)")
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "acted x")
            }
            var headerToken = Self.headers(session)
            headerToken[try #require(HTTPField.Name(CSRFToken.headerName))] = session.csrfToken
            try await client.execute(uri: "/app/act", method: .post, headers: headerToken) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a POST without a session is sent to the login page")
    func postWithoutSession() async throws {
        try await Self.withApp { _, client in
            try await client.execute(
                uri: "/app/act", method: .post, headers: Self.headers(nil, form: true),
                body: ByteBuffer(string: "what=x")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/app/login")
            }
        }
    }

    @Test("the login page is public, but posting to it needs the anonymous session's CSRF token")
    func publicLogin() async throws {
        try await Self.withApp { store, client in
            try await client.execute(uri: "/app/login", method: .get) { response in
                #expect(String(buffer: response.body) == "login page, session: false")
            }
            try await client.execute(
                uri: "/app/login", method: .post, headers: Self.headers(nil, form: true),
                body: ByteBuffer(string: "password=x")
            ) { response in
                #expect(response.status == .forbidden)
            }
            let anonymous = try await store.create(subject: WebSession.anonymousSubject)
            try await client.execute(
                uri: "/app/login", method: .post, headers: Self.headers(anonymous, form: true),
                body: ByteBuffer(string: "password=x&_csrf=\(anonymous.csrfToken)")
            ) { response in
                #expect(String(buffer: response.body) == "login posted x")
            }
        }
    }

    @Test("the cookie is HttpOnly, SameSite=Strict, path-scoped, and Secure behind a TLS proxy")
    func cookieAttributes() throws {
        let session = WebSession(
            id: String(repeating: "a", count: 43), subject: "admin", csrfToken: "t", createdAt: Date(),
            expiresAt: Date().addingTimeInterval(60))
        let plain = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/app"),
            body: RequestBody(buffer: ByteBuffer()))
        var proxied = HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/app")
        proxied.headerFields[try #require(HTTPField.Name("X-Forwarded-Proto"))] = "https"
        let tls = Request(head: proxied, body: RequestBody(buffer: ByteBuffer()))
        let insecure = Self.cookie.cookie(for: session, request: plain).description
        #expect(insecure.contains("HttpOnly"))
        #expect(insecure.contains("SameSite=Strict"))
        #expect(insecure.contains("Path=/app"))
        #expect(!insecure.contains("Secure"))
        #expect(Self.cookie.cookie(for: session, request: tls).description.contains("Secure"))
        #expect(SessionCookie(name: "s", security: .always).cookie(for: session, request: plain).secure)
        #expect(Self.cookie.expiredCookie(request: plain).description.contains("Max-Age=0"))
    }
}
