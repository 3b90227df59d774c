import Store
import Testing

@testable import Billing

@Suite struct TierTests {
    @Test(
        "tiers match the price list",
        arguments: [(Tier.starter, 9_900, 1_000 as Int?), (.professional, 29_900, 10_000), (.enterprise, 89_900, nil)]
    )
    func priceList(_ tier: Tier, _ cents: Int, _ limit: Int?) {
        #expect(tier.monthlyPriceCents == cents)
        #expect(tier.monthlyMessageLimit == limit)
    }

    @Test("starter answers Instagram only")
    func starterPlatforms() {
        #expect(Tier.starter.allows(.instagram))
        #expect(!Tier.starter.allows(.facebook))
        #expect(!Tier.starter.allows(.webchat))
        #expect(Tier.professional.allows(.webchat))
    }
}
