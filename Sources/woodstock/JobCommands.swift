import ArgumentParser
import Foundation
import Relay

/// `woodstock work`.
struct Work: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run jobs until SIGTERM/SIGINT (graceful shutdown).")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Comma-separated queues, highest priority first (WOODSTOCK_QUEUES; default: all).") var queues:
        String?
    @Option(help: "Jobs run at once (WOODSTOCK_CONCURRENCY).") var concurrency: Int?

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["WOODSTOCK_QUEUES"] = queues
        overrides["WOODSTOCK_CONCURRENCY"] = concurrency.map(String.init)
        let settings = try options.bootstrap(overrides)
        try await Relay.work(settings, logger: Relay.logger("woodstock.work"))
    }
}

/// `woodstock schedule`.
struct Schedule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enqueue crontab lines when due (any number of schedulers enqueue each tick once).")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await Relay.schedule(try options.bootstrap(), logger: Relay.logger("woodstock.schedule"))
    }
}

/// `woodstock serve`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the Meta webhook, /healthz, /readyz and /metrics until SIGTERM/SIGINT.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Listen address (WOODSTOCK_HOST).") var host: String?
    @Option(help: "Listen port (WOODSTOCK_PORT).") var port: Int?

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["WOODSTOCK_HOST"] = host
        overrides["WOODSTOCK_PORT"] = port.map(String.init)
        try await Relay.serve(try options.bootstrap(overrides), logger: Relay.logger("woodstock.serve"))
    }
}

/// `woodstock enqueue JOB [--payload JSON] [--in 10m | --at ISO8601] [--unique KEY]`: what crontab lines run.
struct Enqueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Enqueue one job by name (crontab lines call this).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Job name, as in jobs/NAME.yaml.") var job: String
    @Option(help: "JSON object payload.") var payload: String = "{}"
    @Option(name: .customLong("in"), help: "Run after a delay: 30s, 10m, 2h, 1d.") var delay: String?
    @Option(help: "Run at an ISO 8601 time.") var at: String?
    @Option(help: "Unique key: a duplicate within the job's unique_for is dropped.") var unique: String?
    @Flag(help: "Enqueue this minute's crontab tick (unique key JOB@minute), as system cron does.")
    var scheduled = false

    func run() async throws {
        let settings = try options.bootstrap()
        var runAt: Date?
        if let delay {
            guard let seconds = DelayParser.seconds(delay) else {
                throw ValidationError("--in: use 30s, 10m, 2h or 1d")
            }
            runAt = Date().addingTimeInterval(seconds)
        } else if let at {
            guard let date = ISO8601DateFormatter().date(from: at) else {
                throw ValidationError("--at: use ISO 8601, e.g. 2026-12-01T03:00:00Z")
            }
            runAt = date
        }
        let admin = try JobsAdmin(settings: settings, logger: Relay.logger("woodstock.enqueue"))
        defer { admin.close() }
        if scheduled {
            print(try await admin.enqueueScheduledTick(name: job, payload: payload))
            return
        }
        print(try await admin.enqueue(name: job, payload: payload, uniqueKey: unique, runAt: runAt))
    }
}

/// Parses `30s`, `10m`, `2h`, `1d` or bare seconds.
enum DelayParser {
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        if let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()), value >= 0 {
            return value * scale
        }
        return Double(text).flatMap { $0 >= 0 ? $0 : nil }
    }
}

/// `woodstock queues [pause|resume NAME]`.
struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show queues (depth, running, scheduled, retries, dead, oldest age), or pause/resume one.",
        subcommands: [Show.self, Pause.self, Resume.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every queue.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            try await options.withJobsAdmin { admin in
                let stats = try await admin.stats()
                return json ? try TenantAdmin.jsonString(stats) : JobsAdmin.render(stats)
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop workers fetching from a queue.")
        @OptionGroup var options: GlobalOptions
        @Argument var queue: String

        func run() async throws {
            try await options.withJobsAdmin { admin in
                try await admin.pause(queue)
                return "paused \(queue)"
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let workers fetch from a paused queue again.")
        @OptionGroup var options: GlobalOptions
        @Argument var queue: String

        func run() async throws {
            try await options.withJobsAdmin { admin in
                try await admin.resume(queue)
                return "resumed \(queue)"
            }
        }
    }
}

/// `woodstock dead list|show|retry|purge`.
struct Dead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect, retry or purge jobs that failed their last attempt.",
        subcommands: [List.self, ShowOne.self, Retry.self, Purge.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead jobs, newest first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this queue.") var queue: String?
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            try await options.withJobsAdmin { admin in
                let jobs = try await admin.dead(queue: queue, limit: limit)
                return json ? try TenantAdmin.jsonString(jobs) : JobsAdmin.render(jobs)
            }
        }
    }

    struct ShowOne: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one dead job with its attempt history.")
        @OptionGroup var options: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await options.withJobsAdmin { admin in
                guard let job = try await admin.deadJob(id: id) else { throw ValidationError("no dead job \(id)") }
                return try TenantAdmin.jsonString(job)
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move dead jobs back to their queue.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The queue.") var queue: String
        @Argument(help: "Job ids (none: every dead job of the queue).") var ids: [String] = []

        func run() async throws {
            try await options.withJobsAdmin { admin in "retried \(try await admin.retryDead(queue: queue, ids: ids))" }
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete dead jobs.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The queue.") var queue: String
        @Argument(help: "Job ids (none: every dead job of the queue).") var ids: [String] = []

        func run() async throws {
            try await options.withJobsAdmin { admin in "purged \(try await admin.purgeDead(queue: queue, ids: ids))" }
        }
    }
}

extension GlobalOptions {
    /// Runs one operator command against Redis and prints what it returns; the pool is closed either way.
    func withJobsAdmin(_ body: (JobsAdmin) async throws -> String) async throws {
        let admin = try JobsAdmin(settings: try bootstrap(), logger: Relay.logger("woodstock.jobs"))
        defer { admin.close() }
        print(try await body(admin))
    }
}
