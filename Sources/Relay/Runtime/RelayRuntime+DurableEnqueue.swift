import Jobs
import Redis

extension RelayRuntime {
    /// The job client webhook intake enqueues with: ``jobs``'s catalog on a view of ``redis`` that ends every
    /// enqueue with `WAIT 1 <timeout>` per ``Settings/durableEnqueue`` (same pool, same connection as the write).
    func makeIntakeJobs() -> JobClient {
        JobClient(redis: redis.withDurability(settings.durableEnqueue), catalog: catalog, logger: logger)
    }
}
