import Foundation
import Hummingbird
import Jobs

extension AdminSite {
    /// `GET /admin/queues[?queue=NAME]`: every queue's counts, last-hour throughput and latency, and a chart
    /// of all queues (or the one named).
    func queuesPage(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        await guarded("queues") {
            let names = try await queues.knownQueues()
            let stats = try await queues.stats(queues: names)
            let series = try await queues.throughput(queues: names, minutes: 60, now: now())
            let selected = request.uri.queryParameters.get("queue").map { String($0) }.flatMap {
                names.contains($0) ? $0 : nil
            }
            let charted =
                selected.flatMap { name in series.first { $0.queue == name } }
                ?? QueueThroughput.sum(series, as: "all queues")
            let rows = zip(stats, series).map { stat, throughput -> [String: Any] in
                [
                    "name": stat.queue, "isPaused": stat.isPaused, "enqueued": AdminFormat.count(stat.depth),
                    "running": AdminFormat.count(stat.running), "scheduled": AdminFormat.count(stat.scheduled),
                    "retries": AdminFormat.count(stat.retries), "dead": AdminFormat.count(stat.dead),
                    "hasDead": stat.dead > 0, "done": AdminFormat.count(throughput.done),
                    "failed": AdminFormat.count(throughput.failed + throughput.killed),
                    "latency": throughput.latencyMeanMilliseconds.map { AdminChart.formatMilliseconds($0) } ?? "—",
                    "oldest": stat.oldestAge.map { AdminFormat.duration($0) } ?? "—",
                    "isSelected": stat.queue == selected,
                ]
            }
            let totals: [String: Any] = [
                "enqueued": AdminFormat.count(stats.reduce(0) { $0 + $1.depth }),
                "running": AdminFormat.count(stats.reduce(0) { $0 + $1.running }),
                "scheduled": AdminFormat.count(stats.reduce(0) { $0 + $1.scheduled }),
                "retries": AdminFormat.count(stats.reduce(0) { $0 + $1.retries }),
                "dead": AdminFormat.count(stats.reduce(0) { $0 + $1.dead }),
                "done": AdminFormat.count(charted.done),
                "latency": charted.latencyMeanMilliseconds.map { AdminChart.formatMilliseconds($0) } ?? "—",
            ]
            return try renderer.page(
                "admin-queues", title: "Queues",
                context: [
                    "queues": rows, "hasQueues": !rows.isEmpty, "totals": totals, "chart": AdminChart.svg(charted),
                    "chartName": charted.queue, "csrf": context.session?.csrfToken ?? "",
                ] as [String: Any],
                chrome: chrome(context, path: "/admin/queues", notice: notice(request)))
        }
    }

    /// `POST /admin/queues/pause|resume` with `queue`: pauses or resumes a queue (audited).
    func pauseQueue(_ request: Request, _ context: PageRequestContext, pause: Bool) async throws -> Response {
        await guarded("pause") {
            guard let queue = context.form["queue"], try await queues.knownQueues().contains(queue) else {
                return PageResponse.redirect(to: "/admin/queues?notice=unknown-queue")
            }
            if pause { try await queues.pause(queue: queue) } else { try await queues.resume(queue: queue) }
            await audit(pause ? "admin.queue.paused" : "admin.queue.resumed", details: ["queue": queue])
            return PageResponse.redirect(to: "/admin/queues?notice=\(pause ? "paused" : "resumed")")
        }
    }

    /// `GET /admin/dead[?queue=NAME&page=N]`: a queue's dead jobs, newest first, with retry and delete.
    func deadPage(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        await guarded("dead") {
            let names = try await queues.knownQueues()
            let stats = try await queues.stats(queues: names)
            let withDead = stats.filter { $0.dead > 0 }
            let requested = request.uri.queryParameters.get("queue").map { String($0) }
            let queue = requested.flatMap { names.contains($0) ? $0 : nil } ?? withDead.first?.queue
            let page = max(0, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 0)
            let size = configuration.deadPageSize
            var jobs: [DeadJob] = []
            if let queue { jobs = try await queues.deadJobs(queue: queue, offset: page * size, limit: size) }
            let total = stats.first { $0.queue == queue }?.dead ?? 0
            let clock = now()
            let rows = jobs.map { job -> [String: Any] in
                [
                    "id": job.id, "shortID": String(job.id.suffix(12)), "name": job.name, "group": job.group ?? "—",
                    "attempts": job.attempts, "diedAt": AdminFormat.timestamp(job.diedAt),
                    "diedAgo": AdminFormat.relative(job.diedAt, now: clock),
                    "error": String((job.lastError ?? "—").prefix(300)),
                ]
            }
            let queueLinks = withDead.map { stat -> [String: Any] in
                ["name": stat.queue, "dead": AdminFormat.count(stat.dead), "isCurrent": stat.queue == queue]
            }
            return try renderer.page(
                "admin-dead", title: "Dead jobs",
                context: [
                    "queue": queue ?? "", "hasQueue": queue != nil, "queues": queueLinks, "jobs": rows,
                    "hasJobs": !rows.isEmpty, "total": AdminFormat.count(total), "page": page + 1,
                    "hasPrevious": page > 0, "previousPage": page - 1,
                    "hasNext": (page + 1) * size < total, "nextPage": page + 1,
                    "csrf": context.session?.csrfToken ?? "",
                ] as [String: Any],
                chrome: chrome(context, path: "/admin/dead", notice: notice(request)))
        }
    }

    /// `POST /admin/dead/retry|delete` with `queue` and `id` (or `all=1`): retries or deletes dead jobs (audited).
    func deadAction(_ request: Request, _ context: PageRequestContext, retry: Bool) async throws -> Response {
        await guarded("dead-action") {
            guard let queue = context.form["queue"], try await queues.knownQueues().contains(queue) else {
                return PageResponse.redirect(to: "/admin/dead?notice=unknown-queue")
            }
            let ids = context.form["all"] == "1" ? nil : context.form.values("id").filter { !$0.isEmpty }
            if let ids, ids.isEmpty { return PageResponse.redirect(to: "/admin/dead?queue=\(Self.query(queue))") }
            let count =
                retry
                ? try await queues.retryDead(queue: queue, ids: ids)
                : try await queues.purgeDead(queue: queue, ids: ids)
            await audit(
                retry ? "admin.dead.retried" : "admin.dead.deleted",
                details: ["queue": queue, "count": "\(count)", "ids": ids?.joined(separator: ",") ?? "all"])
            let notice = retry ? "retried-\(count)" : "deleted-\(count)"
            return PageResponse.redirect(to: "/admin/dead?queue=\(Self.query(queue))&notice=\(notice)")
        }
    }

    /// The one-line notice a redirect asked for (`?notice=retried-3`), from a fixed set of messages.
    func notice(_ request: Request) -> String? {
        guard let code = request.uri.queryParameters.get("notice").map({ String($0) }) else { return nil }
        let parts = code.split(separator: "-", maxSplits: 1).map { String($0) }
        let count = parts.count == 2 ? Int(parts[1]) : nil
        switch parts.first {
        case "retried": return count.map { "Moved \($0) dead job\($0 == 1 ? "" : "s") back to the queue." }
        case "deleted": return count.map { "Deleted \($0) dead job\($0 == 1 ? "" : "s")." }
        case "paused": return "Queue paused: workers stop fetching from it."
        case "resumed": return "Queue resumed."
        case "unknown": return "No such queue."
        default: return nil
        }
    }

    static func query(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
