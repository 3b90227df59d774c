import Foundation
import Postgres
import Store
import Testing

/// Everything one tenant owns, one row per repository.
struct TenantFixture {
    let tenant: Tenant
    let integration: Integration
    let user: PlatformUser
    let conversation: Conversation
    let inbound: Message
    let outbound: Message
    let notice: Notice

    static func make(_ repos: Repositories, name: String, keyID: Int) async throws -> TenantFixture {
        let tenant = try await repos.tenants.create(name: name, actor: "cli:test")
        let integration = try await repos.integrations.connect(
            tenantID: tenant.id, platform: .instagram, accountID: "acct-\(name)", accountName: name, actor: "test")
        try await repos.integrations.storeToken(
            SealedToken(ciphertext: Array("sealed-\(name)".utf8), keyID: keyID, formatVersion: 1),
            tenantID: tenant.id, integrationID: integration.id, expiresAt: Date().addingTimeInterval(3600),
            actor: "test")
        let user = try await repos.users.upsert(
            tenantID: tenant.id, platform: .instagram, platformUserID: "user-\(name)", username: name)
        let conversation = try await repos.conversations.findOrCreate(
            tenantID: tenant.id, integrationID: integration.id, userID: user.id)
        let inbound = try await repos.messages.insertInbound(
            tenantID: tenant.id, conversationID: conversation.id, mid: "mid-\(name)", body: "hello \(name)")
        let outbound = try await repos.messages.recordOutbound(
            tenantID: tenant.id, conversationID: conversation.id, sendKey: "send-\(name)", body: "hi", isAI: true)
        try await repos.usage.add(answered: 7, tenantID: tenant.id, period: "2026-11")
        let notice = try await repos.notices.recordOnce(kind: "usage.80", period: "2026-11", tenantID: tenant.id)
        return TenantFixture(
            tenant: tenant, integration: integration, user: user, conversation: conversation,
            inbound: try #require(inbound), outbound: outbound, notice: try #require(notice))
    }
}

@Suite struct TenantIsolationTests {
    @Test("tenant A's calls never read or change tenant B's rows, even with B's ids")
    func isolation() async throws {
        try await withMigratedStore { repos, pool in
            let key = try await repos.keys.ensureActiveKey(wrappedKey: [1, 2, 3], masterKeyID: "test", actor: "test")
            let a = try await TenantFixture.make(repos, name: "a", keyID: key.id)
            let b = try await TenantFixture.make(repos, name: "b", keyID: key.id)
            let snapshot = try await Self.snapshot(pool)
            let me = a.tenant.id

            // Reads with B's ids find nothing.
            #expect(try await repos.integrations.find(tenantID: me, integrationID: b.integration.id) == nil)
            #expect(try await repos.integrations.sealedToken(tenantID: me, integrationID: b.integration.id) == nil)
            #expect(try await repos.integrations.list(tenantID: me).map(\.id) == [a.integration.id])
            #expect(try await repos.users.find(tenantID: me, userID: b.user.id) == nil)
            #expect(try await repos.conversations.find(tenantID: me, conversationID: b.conversation.id) == nil)
            #expect(try await repos.conversations.listRecent(tenantID: me).map(\.id) == [a.conversation.id])
            #expect(try await repos.messages.find(tenantID: me, messageID: b.inbound.id) == nil)
            #expect(try await repos.messages.history(tenantID: me, conversationID: b.conversation.id).isEmpty)
            #expect(try await repos.usage.find(tenantID: me, period: "2026-11")?.messagesAnswered == 7)
            #expect(try await repos.notices.list(tenantID: me).map(\.id) == [a.notice.id])
            #expect(try await repos.audit.list(tenantID: me).allSatisfy { $0.tenantID == me })
            #expect(try await repos.audit.list(tenantID: me).count == 3)

            // Writes with B's ids fail or match nothing.
            let sealed = SealedToken(ciphertext: [9], keyID: key.id, formatVersion: 1)
            await Self.expectNotFound {
                try await repos.integrations.storeToken(
                    sealed, tenantID: me, integrationID: b.integration.id, expiresAt: nil, actor: "a")
            }
            await Self.expectNotFound {
                try await repos.integrations.setStatus(
                    .disabled, tenantID: me, integrationID: b.integration.id, actor: "a")
            }
            await Self.expectNotFound { try await repos.users.setUsername("x", tenantID: me, userID: b.user.id) }
            await Self.expectNotFound {
                try await repos.conversations.setTakenOver(by: "a", tenantID: me, conversationID: b.conversation.id)
            }
            await Self.expectNotFound {
                try await repos.conversations.recordCustomerMessage(
                    at: Date(), tenantID: me, conversationID: b.conversation.id)
            }
            await Self.expectNotFound {
                try await repos.messages.markSent(mid: "m", tenantID: me, messageID: b.outbound.id)
            }
            await Self.expectNotFound { try await repos.notices.markSent(tenantID: me, noticeID: b.notice.id) }
            #expect(try await repos.messages.markDeleted(mid: "mid-b", tenantID: me) == false)
            // Linking A's rows to B's (foreign keys include client_id).
            await #expect(throws: PostgresError.self) {
                try await repos.conversations.findOrCreate(
                    tenantID: me, integrationID: b.integration.id, userID: a.user.id)
            }
            await #expect(throws: PostgresError.self) {
                try await repos.conversations.findOrCreate(
                    tenantID: me, integrationID: a.integration.id, userID: b.user.id)
            }
            await #expect(throws: PostgresError.self) {
                try await repos.messages.insertInbound(
                    tenantID: me, conversationID: b.conversation.id, mid: "mid-x", body: "x")
            }
            // Taking over B's platform account.
            do {
                _ = try await repos.integrations.connect(
                    tenantID: me, platform: .instagram, accountID: "acct-b", accountName: nil, actor: "a")
                Issue.record("tenant A took over tenant B's account")
            } catch let error as StoreError {
                #expect(error.code == .conflict)
            }
            // Same mid / send key in another tenant are separate rows, not a collision.
            let own = try await repos.messages.insertInbound(
                tenantID: me, conversationID: a.conversation.id, mid: "mid-b", body: "same mid, other tenant")
            #expect(own != nil)

            // B's rows are exactly as they were.
            let after = try await Self.snapshot(pool, excluding: me)
            #expect(after == snapshot.filter { !$0.contains(me.description) })
            #expect(
                try await repos.crossTenant.routeForAccount(platform: .instagram, accountID: "acct-b")?.tenantID
                    == b.tenant.id)
        }
    }

    static func expectNotFound(_ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("call on another tenant's row succeeded")
        } catch let error as StoreError {
            #expect(error.code == .notFound)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Every tenant row of every table as text, for before/after comparison.
    static func snapshot(_ pool: PostgresPool, excluding tenant: TenantID? = nil) async throws -> [String] {
        var lines: [String] = []
        for table in [
            "platform_integrations", "platform_users", "chatbot_conversations", "chatbot_messages", "usage_ledger",
            "notices",
        ] {
            let rows = try await pool.query(
                "SELECT client_id::text || ' ' || t::text FROM \(identifier: table) t ORDER BY 1")
            lines += try rows.map { try $0.decode(String.self, at: 0) }
        }
        let tenants = try await pool.query("SELECT id::text || ' ' || t::text FROM client_integrations t ORDER BY 1")
        lines += try tenants.map { try $0.decode(String.self, at: 0) }
        guard let tenant else { return lines }
        return lines.filter { !$0.contains(tenant.description) }
    }
}
