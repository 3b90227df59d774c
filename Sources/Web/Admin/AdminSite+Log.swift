import Foundation
import Hummingbird
import Jobs
import Store

extension AdminSite {
    /// `GET /admin/schedule`: each `crontab` line with its last and next run.
    func schedulePage(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        await guarded("schedule") {
            let clock = now()
            let statuses = crontab?.schedule(at: clock) ?? []
            let markers = RedisScheduleMarkerStore(redis: redis)
            let enqueued = try await markers.lastScheduledMinutes(jobNames: statuses.map(\.entry.jobName))
            let rows = statuses.map { status -> [String: Any] in
                let last = enqueued[status.entry.jobName]
                return [
                    "line": status.entry.lineNumber, "schedule": status.entry.schedule.description,
                    "job": status.entry.jobName, "lastEnqueued": AdminFormat.timestamp(last),
                    "lastAgo": AdminFormat.relative(last, now: clock),
                    "previous": AdminFormat.timestamp(status.previousRun),
                    "next": AdminFormat.timestamp(status.nextRun),
                    "nextIn": AdminFormat.relative(status.nextRun, now: clock),
                    "isLate": status.previousRun.map { previous in last.map { $0 < previous } ?? true } ?? false,
                ]
            }
            return try renderer.page(
                "admin-schedule", title: "Schedule",
                context: ["entries": rows, "hasEntries": !rows.isEmpty, "hasCrontab": crontab != nil] as [String: Any],
                chrome: chrome(context, path: "/admin/schedule"))
        }
    }

    /// `GET /admin/audit[?actor=&action=&tenant=&since=YYYY-MM-DD&before=ID]`: the audit log, newest first.
    func auditPage(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        await guarded("audit") {
            let query = request.uri.queryParameters
            let actor = query.get("actor").map { String($0) } ?? ""
            let action = query.get("action").map { String($0) } ?? ""
            let tenantText = query.get("tenant").map { String($0) } ?? ""
            let sinceText = query.get("since").map { String($0) } ?? ""
            let tenantID = TenantID(tenantText)
            let since = Self.day(sinceText)
            let before = query.get("before").flatMap { Int64($0) }
            let pageSize = 100
            let filter = AuditFilter(
                actorPrefix: actor, actionPrefix: action, tenantID: tenantID, since: since, beforeID: before,
                limit: pageSize)
            let records = try await readRepositories { try await $0.audit.search(filter) }
            let rows = records.map { record -> [String: Any] in
                [
                    "id": record.id, "at": AdminFormat.timestamp(record.entry.occurredAt), "actor": record.entry.actor,
                    "action": record.entry.action, "tenant": record.entry.tenantID?.description ?? "",
                    "shortTenant": record.entry.tenantID.map { String($0.description.prefix(8)) } ?? "—",
                    "details": record.entry.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                        .joined(separator: " "),
                ]
            }
            var next = "/admin/audit?actor=\(Self.query(actor))&action=\(Self.query(action))"
            next += "&tenant=\(Self.query(tenantText))&since=\(Self.query(sinceText))"
            next += "&before=\(records.last?.id ?? 0)"
            return try renderer.page(
                "admin-audit", title: "Audit log",
                context: [
                    "rows": rows, "hasRows": !rows.isEmpty, "actor": actor, "action": action, "tenant": tenantText,
                    "since": sinceText, "hasNext": records.count == pageSize, "next": next,
                    "badTenant": !tenantText.isEmpty && tenantID == nil, "badSince": !sinceText.isEmpty && since == nil,
                ] as [String: Any],
                chrome: chrome(context, path: "/admin/audit"))
        }
    }

    /// Midnight UTC of a `YYYY-MM-DD` day, or `nil`.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1970...9999).contains(parts[0]), (1...12).contains(parts[1]),
            (1...31).contains(parts[2])
        else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: components)
    }
}
