import Foundation
import Testing

@testable import Jobs

@Suite struct CrontabTests {
    @Test("the repository's crontab parses and every job exists in jobs/")
    func repositoryCrontab() throws {
        let crontab = try Crontab.load(path: repositoryRoot.appendingPathComponent("crontab").path)
        #expect(crontab.entries.map(\.jobName) == ["refresh-tokens", "meter-usage", "rotate-keys", "export-billing"])
        #expect(crontab.entries.allSatisfy { $0.usesScheduledKey })
        #expect(crontab.environment["CRON_TZ"] == "UTC")
        #expect(crontab.environment["MAILTO"] == "")
        let billing = try #require(crontab.entries.last)
        #expect(String(decoding: billing.payloadJSON, as: UTF8.self) == #"{"period": "previous"}"#)
        #expect(billing.schedule.description == "30 0 1 * *")
        let catalog = try JobCatalog.load(directory: repositoryRoot.appendingPathComponent("jobs").path)
        try crontab.validate(catalog: catalog)
    }

    @Test(
        "accepted command forms",
        arguments: [
            ("woodstock enqueue noop", "noop", "{}", false),
            (#"/usr/local/bin/woodstock enqueue noop --payload '{"a": 1}'"#, "noop", #"{"a": 1}"#, false),
            (
                "cd /srv/woodstock && ./woodstock enqueue meter-usage --scheduled --payload='{}' >> /var/log/w.log 2>&1",
                "meter-usage", "{}", true
            ),
            ("REDIS_URL=redis://127.0.0.1:6379 woodstock enqueue noop --scheduled >/dev/null", "noop", "{}", true),
            ("woodstock /opt/woodstock/bin/woodstock enqueue noop", "noop", "{}", false),  // /etc/cron.d user field
            (#"woodstock enqueue noop --payload "{\"pct\": \"80\%\"}""#, "noop", #"{"pct": "80%"}"#, false),
            (#"woodstock enqueue noop --payload {\"a\":\ 2}"#, "noop", #"{"a": 2}"#, false),
        ]
    )
    func acceptedCommands(_ command: String, _ job: String, _ payload: String, _ scheduled: Bool) throws {
        let crontab = try Crontab(parsing: "*/5 * * * * \(command)\n")
        let entry = try #require(crontab.entries.first)
        #expect(entry.jobName == job)
        #expect(String(decoding: entry.payloadJSON, as: UTF8.self) == payload)
        #expect(entry.usesScheduledKey == scheduled)
        #expect(entry.lineNumber == 1)
    }

    @Test(
        "a bad line is reported with its line number and the reason",
        arguments: [
            ("*/15 * * * *", "expected five time fields (or a macro such as @hourly) followed by a command"),
            ("* * * * woodstock enqueue noop", "day-of-week field 'woodstock'"),
            ("61 * * * * woodstock enqueue noop", "minute field '61': 61 is out of range 0-59"),
            ("0 0 31 2 * woodstock enqueue noop", "'0 0 31 2 *' never matches"),
            ("@reboot woodstock enqueue noop", "@reboot is not a schedule"),
            ("@often woodstock enqueue noop", "unknown schedule '@often'"),
            ("* * * * * echo hi", "the command must run 'woodstock enqueue JOB"),
            ("* * * * * woodstock work", "only 'woodstock enqueue' can be scheduled"),
            ("* * * * * woodstock enqueue", "'woodstock enqueue' needs a job name"),
            ("* * * * * woodstock enqueue Bad.Name", "'Bad.Name' is not a job name"),
            ("* * * * * woodstock enqueue noop --in 10m", "unsupported argument '--in'"),
            ("* * * * * woodstock enqueue noop --payload '[1]'", "--payload for noop must be a JSON object"),
            ("* * * * * woodstock enqueue noop --payload", "--payload needs a JSON object"),
            (#"* * * * * woodstock enqueue noop --payload '{"p": "5%"}'"#, "cron turns a bare % into a newline"),
            ("* * * * * woodstock enqueue noop; rm -rf /tmp/x", "only one 'woodstock enqueue' command per line"),
            ("* * * * * woodstock enqueue noop | tee log", "only one 'woodstock enqueue' command per line"),
            ("* * * * * woodstock enqueue noop && woodstock enqueue noop", "only one 'woodstock enqueue' command"),
            ("* * * * * woodstock enqueue noop --payload '{}", "unterminated single quote"),
            ("* * * * * woodstock enqueue noop --payload $PAYLOAD", "shell expansion ($ or `) is not supported"),
            ("* * * * * cd /srv woodstock enqueue noop", "'cd DIR' must be followed by '&&'"),
            ("* * * * * woodstock enqueue noop > log --scheduled", "'--scheduled' after a redirection"),
            ("CRON_TZ=Europe/Berlin", "CRON_TZ=Europe/Berlin: the scheduler runs in UTC only"),
            ("TZ = 'America/New_York'", "TZ=America/New_York: the scheduler runs in UTC only"),
        ]
    )
    func badLine(_ line: String, _ reason: String) {
        let text = "# schedule\nMAILTO=\"\"\n\n\(line)\n*/5 * * * * woodstock enqueue ok\n"
        let error = #expect(throws: JobError.self) { try Crontab(parsing: text) }
        #expect(error?.code == .invalidCrontab)
        #expect(error?.message?.hasPrefix("crontab:4: \(reason)") == true, "\(error?.message ?? "no message")")
    }

    @Test("every bad line is reported, and a job may be scheduled on one line only")
    func severalBadLines() {
        let text = """
            * * * * * woodstock enqueue a
            bad line here
            */5 * * * * woodstock enqueue a
            0 0 * * 9 woodstock enqueue b
            """
        let error = #expect(throws: JobError.self) { try Crontab(parsing: text, fileName: "schedule") }
        let lines = error?.message?.split(separator: "\n").map(String.init) ?? []
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("schedule:2: expected five time fields") == true)
        #expect(lines.dropFirst().first?.hasPrefix("schedule:3: a is already scheduled on line 1") == true)
        #expect(lines.last?.hasPrefix("schedule:4: day-of-week field '9'") == true)
    }

    @Test("a job missing from the catalog is an unknownJob error naming the line")
    func unknownJob() throws {
        let crontab = try Crontab(parsing: "# header\n@hourly woodstock enqueue nope\n")
        let catalog = try JobCatalog([JobDefinition(name: "noop", queue: "bench")])
        let error = #expect(throws: JobError.self) { try crontab.validate(catalog: catalog) }
        #expect(error?.code == .unknownJob)
        #expect(error?.message == "crontab:2: unknown job 'nope' (no jobs/nope.yaml)")
    }

    @Test("a payload lacking a field its job's templates need is reported with the line")
    func payloadMissingTemplateField() throws {
        let crontab = try Crontab(parsing: "@daily woodstock enqueue export-billing --scheduled --payload '{}'\n")
        let catalog = try JobCatalog([
            JobDefinition(name: "export-billing", queue: "q", uniqueKeyTemplate: "export-billing:{period}")
        ])
        let error = #expect(throws: JobError.self) { try crontab.validate(catalog: catalog) }
        #expect(error?.code == .invalidCrontab)
        #expect(
            error?.message?.hasPrefix(
                "crontab:1: export-billing: unique_key export-billing:{period} needs the payload field 'period'")
                == true)
    }

    @Test("an unreadable crontab file is a clear error")
    func missingFile() {
        let error = #expect(throws: JobError.self) { try Crontab.load(path: "/nonexistent/crontab") }
        #expect(error?.message == "/nonexistent/crontab: cannot read the crontab file")
    }

    @Test("last and next run of the repository's crontab")
    func scheduleRows() throws {
        let crontab = try Crontab.load(path: repositoryRoot.appendingPathComponent("crontab").path)
        let rows = crontab.schedule(at: utc("2026-11-25T17:31:10Z"))
        let byJob = Dictionary(uniqueKeysWithValues: rows.map { ($0.entry.jobName, $0) })
        #expect(byJob["refresh-tokens"]?.previousRun == utc("2026-11-25T17:30:00Z"))
        #expect(byJob["refresh-tokens"]?.nextRun == utc("2026-11-25T17:45:00Z"))
        #expect(byJob["meter-usage"]?.nextRun == utc("2026-11-25T17:35:00Z"))
        #expect(byJob["rotate-keys"]?.previousRun == utc("2026-11-25T03:17:00Z"))
        #expect(byJob["rotate-keys"]?.nextRun == utc("2026-11-26T03:17:00Z"))
        #expect(byJob["export-billing"]?.previousRun == utc("2026-11-01T00:30:00Z"))
        #expect(byJob["export-billing"]?.nextRun == utc("2026-12-01T00:30:00Z"))
    }
}
