import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Jobs
import NIOCore
import Redis
import Store
import Testing
import Web

@Suite struct AdminRouteTests {
    static let pages = ["/admin/queues", "/admin/dead", "/admin/tenants", "/admin/schedule", "/admin/audit"]

    @Test("every page refuses no cookie, a bad cookie and an expired session with 303 to the login page")
    func refusesWithoutSession() async throws {
        try await AdminWorld.with { world, client in
            for page in Self.pages {
                let none = try await client.execute(uri: page, method: .get)
                #expect(none.status == .seeOther)
                #expect(none.headers[.location] == "/admin/login?next=\(page)")
                let bad = try await client.execute(
                    uri: page, method: .get, headers: [.cookie: "woodstock_admin=\(String(repeating: "x", count: 43))"])
                #expect(bad.status == .seeOther)
            }
            let (cookie, _) = try await world.signIn(client)
            #expect(
                try await client.execute(uri: "/admin/queues", method: .get, headers: [.cookie: cookie]).status == .ok)
            world.clock.advance(601)
            let expired = try await client.execute(uri: "/admin/queues", method: .get, headers: [.cookie: cookie])
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location]?.hasPrefix("/admin/login") == true)
        }
    }

    @Test("a wrong password is refused with 401 and audited; the anonymous session stays anonymous")
    func wrongPassword() async throws {
        try await AdminWorld.with { world, client in
            let (anonymous, csrf) = try await world.loginForm(client)
            let response = try await client.execute(
                uri: "/admin/login", method: .post, headers: AdminWorld.form(cookie: anonymous),
                body: ByteBuffer(string: "_csrf=\(csrf)&password=guess"))
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("Wrong password."))
            #expect(AdminWorld.cookie(from: response) == nil)
            #expect(
                try await client.execute(uri: "/admin/queues", method: .get, headers: [.cookie: anonymous]).status
                    == .seeOther)
            #expect(try await world.audited("admin.login_failed").count == 1)
            #expect(try await world.audited("admin.login").filter { $0.entry.action == "admin.login" }.isEmpty)
            let noToken = try await client.execute(
                uri: "/admin/login", method: .post, headers: AdminWorld.form(cookie: anonymous),
                body: ByteBuffer(string: "password=\(AdminWorld.encoded(AdminWorld.password))"))
            #expect(noToken.status == .forbidden, "even the right password needs the form's CSRF token")
        }
    }

    @Test("failed sign-ins are throttled per minute with 429")
    func throttled() async throws {
        try await AdminWorld.with { world, client in
            let (anonymous, csrf) = try await world.loginForm(client)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                let response = try await client.execute(
                    uri: "/admin/login", method: .post, headers: AdminWorld.form(cookie: anonymous),
                    body: ByteBuffer(string: "_csrf=\(csrf)&password=guess"))
                statuses.append(response.status)
            }
            #expect(statuses == Array(repeating: .unauthorized, count: 5) + [.tooManyRequests])
            #expect(try await world.audited("admin.login_throttled").count == 1)
        }
    }

    @Test("sign-in rotates the session, pages render, sign-out ends the session; both audited")
    func signInAndOut() async throws {
        try await AdminWorld.with { world, client in
            let (cookie, csrf) = try await world.signIn(client)
            for page in Self.pages {
                let response = try await client.execute(uri: page, method: .get, headers: [.cookie: cookie])
                #expect(response.status == .ok, "\(page)")
                let html = String(buffer: response.body)
                #expect(html.contains("aria-current=\"page\""), "\(page)")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            let out = try await client.execute(
                uri: "/admin/logout", method: .post, headers: AdminWorld.form(cookie: cookie),
                body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(
                try await client.execute(uri: "/admin/queues", method: .get, headers: [.cookie: cookie]).status
                    == .seeOther)
            #expect(try await world.audited("admin.login").contains { $0.entry.action == "admin.login" })
            #expect(try await world.audited("admin.logout").count == 1)
        }
    }

    @Test("a form post with a missing or wrong CSRF token is refused and changes nothing")
    func csrfRefused() async throws {
        try await AdminWorld.with { world, client in
            let definitions = [JobDefinition(name: "doomed", queue: world.queue, maxAttempts: 1)]
            try await AdminDeadJobs.make(count: 2, definitions: definitions, world: world)
            let (cookie, csrf) = try await world.signIn(client)
            for body in ["queue=\(world.queue)&all=1", "queue=\(world.queue)&all=1&_csrf=\(csrf)x"] {
                for action in ["/admin/dead/retry", "/admin/dead/delete", "/admin/queues/pause"] {
                    let response = try await client.execute(
                        uri: action, method: .post, headers: AdminWorld.form(cookie: cookie),
                        body: ByteBuffer(string: body))
                    #expect(response.status == .forbidden, "\(action)")
                }
            }
            let stats = try await JobQueueAdmin(redis: world.redis).stats(queues: [world.queue])
            #expect(stats.first?.dead == 2)
            #expect(stats.first?.isPaused == false)
            #expect(try await world.audited("admin.dead").isEmpty)
        }
    }

    @Test("retry one dead job, then delete the rest, through the dead page; both audited")
    func retryAndDelete() async throws {
        try await AdminWorld.with { world, client in
            let definitions = [JobDefinition(name: "doomed", queue: world.queue, maxAttempts: 1)]
            try await AdminDeadJobs.make(count: 4, definitions: definitions, world: world)
            let admin = JobQueueAdmin(redis: world.redis)
            let dead = try await admin.deadJobs(queue: world.queue, limit: 10)
            let (cookie, csrf) = try await world.signIn(client)
            let page = try await client.execute(
                uri: "/admin/dead?queue=\(world.queue)", method: .get, headers: [.cookie: cookie])
            let html = String(buffer: page.body)
            #expect(html.contains("4 dead · page 1"))
            #expect(html.contains("Older →"), "page size 3 of 4 jobs")
            #expect(html.contains("always fails"))
            let target = try #require(dead.first)
            let retried = try await client.execute(
                uri: "/admin/dead/retry", method: .post, headers: AdminWorld.form(cookie: cookie),
                body: ByteBuffer(string: "_csrf=\(csrf)&queue=\(world.queue)&id=\(target.id)"))
            #expect(retried.status == .seeOther)
            #expect(retried.headers[.location] == "/admin/dead?queue=\(world.queue)&notice=retried-1")
            var stats = try #require(try await admin.stats(queues: [world.queue]).first)
            #expect(stats.dead == 3 && stats.depth == 1)
            #expect(try await admin.deadJob(queue: world.queue, id: target.id) == nil)
            let deleted = try await client.execute(
                uri: "/admin/dead/delete", method: .post, headers: AdminWorld.form(cookie: cookie),
                body: ByteBuffer(string: "_csrf=\(csrf)&queue=\(world.queue)&all=1"))
            #expect(deleted.headers[.location] == "/admin/dead?queue=\(world.queue)&notice=deleted-3")
            stats = try #require(try await admin.stats(queues: [world.queue]).first)
            #expect(stats.dead == 0 && stats.depth == 1)
            let notice = try await client.execute(
                uri: "/admin/dead?queue=\(world.queue)&notice=deleted-3", method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: notice.body).contains("Deleted 3 dead jobs."))
            let retriedRows = try await world.audited("admin.dead.retried")
            #expect(retriedRows.count == 1)
            #expect(retriedRows.first?.entry.details["ids"] == target.id)
            #expect(try await world.audited("admin.dead.deleted").first?.entry.details["count"] == "3")
        }
    }
}
