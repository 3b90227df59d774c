import CoreMetrics
import Metrics

/// The webhook endpoint's metrics, created once per router.
///
/// - `woodstock.webhook.requests{outcome}`: `accepted`, `unauthorized`, `malformed`, `too_large`, `failed`.
/// - `woodstock.webhook.malformed`: deliveries refused because their body was not JSON.
/// - `woodstock.webhook.events`: events handed to the enqueuer.
struct WebhookMetrics: Sendable {
    let accepted: Counter
    let unauthorized: Counter
    let malformedRequests: Counter
    let tooLarge: Counter
    let failed: Counter
    let malformed: Counter
    let events: Counter

    init(factory: any MetricsFactory) {
        let requests = { (outcome: String) in
            Counter(label: "woodstock.webhook.requests", dimensions: [("outcome", outcome)], factory: factory)
        }
        accepted = requests("accepted")
        unauthorized = requests("unauthorized")
        malformedRequests = requests("malformed")
        tooLarge = requests("too_large")
        failed = requests("failed")
        malformed = Counter(label: "woodstock.webhook.malformed", factory: factory)
        events = Counter(label: "woodstock.webhook.events", factory: factory)
    }
}
