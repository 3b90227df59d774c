import Postgres
import Redis
import Web

/// `/readyz`: Redis answers PING and PostgreSQL answers `SELECT 1`.
struct ReadinessProbe: ReadinessChecking {
    let redis: RedisClient
    let pool: PostgresPool

    func checkReadiness() async -> [ReadinessStatus] {
        async let redisReady = (try? await redis.send("PING")) != nil
        async let postgresReady = (try? await pool.query("SELECT 1")) != nil
        return [
            ReadinessStatus(name: "redis", isReady: await redisReady),
            ReadinessStatus(name: "postgres", isReady: await postgresReady),
        ]
    }
}
