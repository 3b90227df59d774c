import Messaging
import Store
import Testing

@Suite struct WebchatInboundTests {
    @Test("a tenant's webchat jobs spread over a few stable fairness groups, one per visitor")
    func jobGroups() {
        let tenant = TenantID.random()
        let visitors = (0..<200).map { "v_\($0)" }
        let groups = visitors.map { WebchatInbound.jobGroup(tenantID: tenant, visitorID: $0) }
        // Stable: the same visitor always lands in the same group (no per-process hash seed).
        #expect(visitors.map { WebchatInbound.jobGroup(tenantID: tenant, visitorID: $0) } == groups)
        #expect(WebchatInbound.jobGroup(tenantID: tenant, visitorID: "v_0") == "webchat:\(tenant)/6")
        // Several groups, so the queue's per-group start rate does not cap one tenant's webchat, but never more
        // than the shard count, so one tenant stays a few groups in the round-robin.
        #expect(Set(groups).count == WebchatInbound.jobGroupShards)
        #expect(groups.allSatisfy { $0.hasPrefix("webchat:\(tenant)/") })
        let other = TenantID.random()
        #expect(WebchatInbound.jobGroup(tenantID: other, visitorID: "v_0") != groups[0])
    }
}
