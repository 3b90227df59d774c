import Metrics

/// The webhook endpoint's metrics, created once per router.
///
/// - `woodstock.webhook.requests{outcome}`: `accepted`, `unauthorized`, `malformed`, `too_large`, `failed`.
/// - `woodstock.webhook.malformed`: deliveries refused because their body was not JSON.
/// - `woodstock.webhook.events`: events handed to the enqueuer.
struct WebhookMetrics: Sendable {
    let accepted = Counter(label: "woodstock.webhook.requests", dimensions: [("outcome", "accepted")])
    let unauthorized = Counter(label: "woodstock.webhook.requests", dimensions: [("outcome", "unauthorized")])
    let malformedRequests = Counter(label: "woodstock.webhook.requests", dimensions: [("outcome", "malformed")])
    let tooLarge = Counter(label: "woodstock.webhook.requests", dimensions: [("outcome", "too_large")])
    let failed = Counter(label: "woodstock.webhook.requests", dimensions: [("outcome", "failed")])
    let malformed = Counter(label: "woodstock.webhook.malformed")
    let events = Counter(label: "woodstock.webhook.events")
}
