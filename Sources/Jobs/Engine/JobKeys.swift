/// The Redis keys of one queue. Every key starts with `woodstock:jobs:{queue}` so all keys one script
/// touches share a hash tag (Redis Cluster slot).
///
/// - `…:g:GROUP` list of ready jobs of one fairness group (`_` for none)
/// - `…:groups` list: round-robin rotation of the groups that have ready jobs
/// - `…:notify` list: wake-up tokens for idle workers (`BLPOP`)
/// - `…:running` zset: leased jobs scored by lease deadline (ms)
/// - `…:scheduled` / `…:retry` zsets: delayed jobs and retries scored by run-at (ms)
/// - `…:dead` zset: dead jobs scored by time of death (ms)
/// - `…:paused` string: present while paused
/// - `…:u:KEY` string: a unique key, with the definition's TTL
/// - `…:active` hash: running jobs per group (only with a concurrency cap)
/// - `…:rate:GROUP:WINDOW` counter: starts per group per window (only with a rate limit)
/// - `…:config` hash: `concurrency`, `rate` per group, written by workers from the catalog
struct JobKeys: Sendable, Hashable {
    let queue: String
    let prefix: String

    /// The set listing every queue ever enqueued to (outside any hash tag; never touched by a script).
    static let queuesSet = "woodstock:jobs:queues"

    init(queue: String) {
        self.queue = queue
        self.prefix = "woodstock:jobs:{\(queue)}"
    }

    var groups: String { prefix + ":groups" }
    var notify: String { prefix + ":notify" }
    var running: String { prefix + ":running" }
    var scheduled: String { prefix + ":scheduled" }
    var retry: String { prefix + ":retry" }
    var dead: String { prefix + ":dead" }
    var paused: String { prefix + ":paused" }
    var config: String { prefix + ":config" }
    var active: String { prefix + ":active" }
    func ready(group: String) -> String { prefix + ":g:" + group }
}
