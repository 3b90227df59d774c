public import Jobs
import Meta

/// Registers process-message with the job engine.
///
/// ```swift
/// var registry = JobRegistry()
/// MessagingModule.register(in: &registry, dependencies: dependencies)
/// ```
public enum MessagingModule {
    /// The job name, as in `jobs/process-message.yaml`.
    public static let processMessageJob = "process-message"

    /// Registers the `process-message` handler (payload: a ``WebhookEvent``).
    /// - Parameters:
    ///   - registry: The registry the workers run.
    ///   - dependencies: What the handler needs.
    public static func register(in registry: inout JobRegistry, dependencies: MessagingDependencies) {
        let processor = MessageProcessor(dependencies: dependencies)
        // The common payload is read by Meta's byte-level reader; anything else falls back to JSONDecoder.
        registry.register(processMessageJob, payload: WebhookEvent.self, reader: WebhookEvent.fastDecoded) {
            event, context in
            _ = try await processor.process(event, attempt: context.attempt, logger: context.logger)
        }
    }
}
