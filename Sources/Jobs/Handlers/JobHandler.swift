/// Runs one job type. Register it in a ``JobRegistry`` under the job's catalog name.
///
/// `handle` must honour cancellation: the worker cancels it when the job's timeout passes or when the
/// shutdown grace period ends. A thrown error counts as a failed attempt (retried with backoff, then
/// dead); throw ``JobError`` `.payloadEncoding` or let decoding fail to send the job straight to the dead set.
///
/// ```swift
/// struct SendNotice: JobHandler {
///     struct Payload: Codable, Sendable { var tenantID: Int }
///     func handle(_ payload: Payload, context: JobContext) async throws { … }
/// }
/// registry.register("send-notice", handler: SendNotice())
/// ```
public protocol JobHandler: Sendable {
    /// The JSON payload type.
    associatedtype Payload: Decodable & Sendable
    /// Runs the job.
    /// - Throws: Any error to fail this attempt.
    func handle(_ payload: Payload, context: JobContext) async throws
}
