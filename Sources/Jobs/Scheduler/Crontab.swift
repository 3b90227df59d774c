internal import Foundation

/// The `crontab` file: a real crontab(5) file that system cron can run as is, and that
/// `woodstock schedule` reads to enqueue the same jobs itself.
///
/// Each schedule line is five time fields (or a macro such as `@hourly`) followed by a command that
/// runs `woodstock enqueue JOB [--payload JSON] [--scheduled]` (see ``CrontabEntry``). Comments (`#`),
/// blank lines and environment lines (`MAILTO=`, `CRON_TZ=UTC`) are allowed; `CRON_TZ` and `TZ` must
/// be UTC, because the scheduler works in UTC. Each job may appear on one line only, since scheduled
/// ticks are deduplicated by the key `JOB@minute`.
///
/// ```swift
/// let crontab = try Crontab.load(path: "crontab")
/// try crontab.validate(catalog: catalog)
/// ```
public struct Crontab: Sendable, Hashable {
    /// The schedule lines, in file order.
    public let entries: [CrontabEntry]
    /// The environment lines (`MAILTO`, `CRON_TZ`, `PATH`, …); the scheduler itself ignores them.
    public let environment: [String: String]

    /// Time zone values accepted for `CRON_TZ` and `TZ`.
    static let utcNames: Set<String> = ["UTC", "Etc/UTC", "UTC0", "GMT", "Etc/GMT", "Z"]

    /// Creates a crontab from entries built in code (tests).
    /// - Parameter entries: The schedule lines.
    public init(entries: [CrontabEntry]) {
        self.entries = entries
        self.environment = [:]
    }

    /// Parses the text of a crontab file.
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - fileName: The name used in messages, e.g. `crontab`.
    /// - Throws: ``JobError/Code/invalidCrontab`` listing every bad line, one per line of the message,
    ///   each as `crontab:LINE: reason`.
    public init(parsing text: String, fileName: String = "crontab") throws {
        var entries: [CrontabEntry] = []
        var environment: [String: String] = [:]
        var problems: [String] = []
        var lineByJob: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = String(rawLine).trimmingWhitespace()
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            do {
                if let (name, value) = Self.environmentAssignment(line) {
                    if name == "CRON_TZ" || name == "TZ", !Self.utcNames.contains(value) {
                        throw JobError(.invalidCrontab, message: "\(name)=\(value): the scheduler runs in UTC only")
                    }
                    environment[name] = value
                    continue
                }
                let entry = try Self.entry(line, lineNumber: lineNumber)
                if let earlier = lineByJob.updateValue(lineNumber, forKey: entry.jobName) {
                    throw JobError(
                        .invalidCrontab,
                        message: "\(entry.jobName) is already scheduled on line \(earlier); one line per job "
                            + "(both would share the unique key \(entry.jobName)@minute)"
                    )
                }
                entries.append(entry)
            } catch let error as JobError {
                problems.append("\(fileName):\(lineNumber): \(error.message ?? "\(error.code)")")
            }
        }
        guard problems.isEmpty else {
            throw JobError(.invalidCrontab, message: problems.joined(separator: "\n"))
        }
        self.entries = entries
        self.environment = environment
    }

    /// Reads and parses a crontab file.
    /// - Parameter path: The file, usually `crontab` at the top of the repository.
    /// - Returns: The parsed crontab.
    /// - Throws: ``JobError/Code/invalidCrontab`` when the file cannot be read or has bad lines.
    public static func load(path: String) throws -> Crontab {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw JobError(.invalidCrontab, message: "\(path): cannot read the crontab file")
        }
        return try Crontab(parsing: text, fileName: URL(fileURLWithPath: path).lastPathComponent)
    }

    /// Checks that every scheduled job exists in the catalog, and that each line's payload has the fields
    /// its job's unique-key and group templates need (the engine renders them at every enqueue).
    /// - Parameter catalog: The job catalog.
    /// - Throws: ``JobError/Code/unknownJob`` listing each unknown job with its line number, or
    ///   ``JobError/Code/invalidCrontab`` listing each payload that lacks a template field.
    public func validate(catalog: JobCatalog) throws {
        let unknown = entries.filter { catalog.definitions[$0.jobName] == nil }
        guard unknown.isEmpty else {
            let lines = unknown.map {
                "crontab:\($0.lineNumber): unknown job '\($0.jobName)' (no jobs/\($0.jobName).yaml)"
            }
            throw JobError(.unknownJob, message: lines.joined(separator: "\n"))
        }
        var problems: [String] = []
        for entry in entries {
            guard let definition = catalog.definitions[entry.jobName] else { continue }
            do {
                _ = try definition.renderKeys(payloadJSON: entry.payloadJSON)
            } catch let error as JobError {
                problems.append("crontab:\(entry.lineNumber): \(error.message ?? "\(error.code)")")
            }
        }
        guard problems.isEmpty else {
            throw JobError(.invalidCrontab, message: problems.joined(separator: "\n"))
        }
    }

    private static func entry(_ line: String, lineNumber: Int) throws -> CrontabEntry {
        let fieldCount = line.hasPrefix("@") ? 1 : 5
        var rest = Substring(line)
        var fields: [Substring] = []
        while fields.count < fieldCount {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            guard !rest.isEmpty else { break }
            let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
            fields.append(rest[..<end])
            rest = rest[end...]
        }
        let command = String(rest).trimmingWhitespace()
        guard fields.count == fieldCount, !command.isEmpty else {
            throw JobError(
                .invalidCrontab,
                message: "expected five time fields (or a macro such as @hourly) followed by a command"
            )
        }
        if fields[0].lowercased() == "@reboot" {
            throw JobError(.invalidCrontab, message: "@reboot is not a schedule; the scheduler cannot run it")
        }
        let schedule = try CronExpression(parsing: fields.joined(separator: " "))
        let parsed = try CrontabCommand(parsing: command)
        return CrontabEntry(
            lineNumber: lineNumber,
            schedule: schedule,
            jobName: parsed.jobName,
            payloadJSON: parsed.payloadJSON,
            usesScheduledKey: parsed.usesScheduledKey,
            command: command
        )
    }

    /// `NAME=value` or `NAME = value` (value optionally quoted), as cron reads environment lines.
    private static func environmentAssignment(_ line: String) -> (String, String)? {
        guard let first = line.first, first == "_" || (first.isASCII && first.isLetter) else { return nil }
        let name = line.prefix(while: { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
        let afterName = line[name.endIndex...].drop(while: { $0 == " " || $0 == "\t" })
        guard afterName.first == "=" else { return nil }
        var value = String(afterName.dropFirst()).trimmingWhitespace()
        if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
            value = String(value.dropFirst().dropLast())
        }
        return (String(name), value)
    }
}
