import Metrics

/// The OAuth success-rate counters, created once: `woodstock.oauth.started|succeeded` (dimension `platform`) and
/// `woodstock.oauth.failed` (dimensions `platform`, `reason`) — success rate = succeeded / (succeeded + failed).
struct OAuthMetrics: Sendable {
    private let startedCounters: [ConnectPlatform: Counter]
    private let succeededCounters: [ConnectPlatform: Counter]
    private let failedCounters: [String: Counter]

    init(factory: (any MetricsFactory)? = nil) {
        let factory = factory ?? MetricsSystem.factory
        var started: [ConnectPlatform: Counter] = [:]
        var succeeded: [ConnectPlatform: Counter] = [:]
        var failed: [String: Counter] = [:]
        for platform in ConnectPlatform.allCases {
            started[platform] = Counter(
                label: "woodstock.oauth.started", dimensions: [("platform", platform.rawValue)], factory: factory)
            succeeded[platform] = Counter(
                label: "woodstock.oauth.succeeded", dimensions: [("platform", platform.rawValue)], factory: factory)
            for reason in OnboardingFailure.Reason.allCases {
                failed[Self.key(platform, reason)] = Counter(
                    label: "woodstock.oauth.failed",
                    dimensions: [("platform", platform.rawValue), ("reason", reason.rawValue)], factory: factory)
            }
        }
        startedCounters = started
        succeededCounters = succeeded
        failedCounters = failed
    }

    private static func key(_ platform: ConnectPlatform, _ reason: OnboardingFailure.Reason) -> String {
        platform.rawValue + "/" + reason.rawValue
    }

    func started(_ platform: ConnectPlatform) { startedCounters[platform]?.increment() }

    func succeeded(_ platform: ConnectPlatform) { succeededCounters[platform]?.increment() }

    func failed(_ platform: ConnectPlatform, _ reason: OnboardingFailure.Reason) {
        failedCounters[Self.key(platform, reason)]?.increment()
    }
}
