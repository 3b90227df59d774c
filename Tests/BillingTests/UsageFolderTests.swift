import Foundation
import Postgres
import Redis
import Store
import Testing

@testable import Billing

/// `meter-usage` against real Redis counters and the real ledger.
@Suite struct UsageFolderTests {
    @Test("the ledger equals the counters after meter-usage runs twice (and concurrently); previous month too")
    func ledgerEqualsCounters() async throws {
        try await BillingWorld.with { world in
            let now = Date()
            let current = MeterPeriod(containing: now)
            let starter = try await world.tenant(.starter, name: "Starter")
            let enterprise = try await world.tenant(.enterprise, name: "Enterprise")
            try await world.count(starter, 5, limit: 3)
            try await world.count(enterprise, 4, limit: nil)
            try await world.count(starter, 2, limit: nil, at: current.previous.start.addingTimeInterval(3_600))
            try await world.folder.run(now: now)
            async let again = world.folder.run(now: now)
            async let concurrent = world.folder.run(now: now)
            _ = try await (again, concurrent)
            for tenant in [starter, enterprise] {
                for period in [current, current.previous] {
                    let usage = try await world.meter.usage(tenantID: tenant.id.description, period: period)
                    let ledger = try await world.ledger(tenant, period)
                    #expect(ledger?.messagesAnswered == usage.answered)
                    #expect(ledger?.messagesOverLimit == usage.denied)
                }
            }
            #expect(try await world.ledger(starter, current)?.messagesAnswered == 3)
            #expect(try await world.ledger(starter, current)?.messagesOverLimit == 2)
            #expect(try await world.ledger(starter, current.previous)?.messagesAnswered == 2)
            #expect(try await world.ledger(enterprise, current)?.messagesAnswered == 4)
        }
    }

    @Test("Redis loss: the ledger is not lowered, and the counters are rebuilt from Postgres and stored replies")
    func redisLoss() async throws {
        try await BillingWorld.with { world in
            let now = Date()
            let period = MeterPeriod(containing: now)
            let tenant = try await world.tenant(.starter, name: "Lossy")
            try await world.count(tenant, 6, limit: nil)
            try await world.folder.run(now: now)
            _ = try await world.redis.send(
                "DEL", world.meter.counterKey(tenantID: tenant.id.description, period: period))
            try await world.folder.run(now: now)
            #expect(try await world.ledger(tenant, period)?.messagesAnswered == 6)
            #expect(try await world.meter.usage(tenantID: tenant.id.description, period: period).answered == 6)

            // A second tenant whose counters and ledger are both gone: recount its stored AI replies.
            let other = try await world.tenant(.starter, name: "Recount")
            try await Self.storeReplies(world, tenant: other, count: 9)
            let folded = try await world.folder.fold(tenant: other, period: period)
            #expect(folded.answered == 9)
            #expect(folded.wasRecovered)
            #expect(try await world.meter.usage(tenantID: other.id.description, period: period).answered == 9)
        }
    }

    /// Stores `count` sent AI replies (two parts each) for the tenant, as process-message does.
    static func storeReplies(_ world: BillingWorld, tenant: Tenant, count: Int) async throws {
        let integration = try await world.repositories.integrations.connect(
            tenantID: tenant.id, platform: .instagram, accountID: "1784\(Int.random(in: 100_000...999_999))",
            accountName: nil, actor: "test")
        let user = UUID()
        let conversation = UUID()
        try await world.pool.query(
            """
            INSERT INTO platform_users (id, client_id, platform, platform_user_id)
            VALUES (\(user), \(tenant.id.rawValue), 'instagram', 'igsid-1')
            """)
        try await world.pool.query(
            """
            INSERT INTO chatbot_conversations (id, client_id, integration_id, user_id)
            VALUES (\(conversation), \(tenant.id.rawValue), \(integration.id.rawValue), \(user))
            """)
        for index in 0..<count {
            for part in 0..<2 {
                try await world.pool.query(
                    """
                    INSERT INTO chatbot_messages (id, client_id, conversation_id, direction, send_key, body, is_ai,
                                                  send_state)
                    VALUES (\(UUID()), \(tenant.id.rawValue), \(conversation), 'out', \("reply:mid\(index):\(part)"),
                            'hello', true, 'sent')
                    """)
            }
        }
    }
}
