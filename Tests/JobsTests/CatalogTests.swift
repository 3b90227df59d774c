import Foundation
import Testing

@testable import Jobs

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Writes `files` into a fresh `jobs` directory under a temporary folder and returns its path.
func makeCatalogDirectory(_ files: [String: String]) throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
    let directory = root.appendingPathComponent("jobs")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, text) in files {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
    return directory.path
}

@Suite struct CatalogTests {
    static let valid = """
        name: x
        queue: work
        priority: 10
        max_attempts: 3
        backoff:
          base: 2s
          max: 1m
          jitter: 0.5
        timeout: 90s
        unique_key: "{account_id}:{mid}"
        unique_for: 1h
        group: "{account_id}"
        group_concurrency: 2
        group_rate_per_second: 2.5
        """

    @Test("the repository's jobs/ folder loads and has every job type of the product")
    func repositoryCatalog() throws {
        let catalog = try JobCatalog.load(directory: repositoryRoot.appendingPathComponent("jobs").path)
        #expect(
            catalog.names == [
                "export-billing", "meter-usage", "noop", "process-message", "refresh-token", "refresh-tokens",
                "rotate-keys", "send-notice",
            ]
        )
        let message = try catalog.definition(named: "process-message")
        #expect(message.uniqueKeyTemplate == "{id}")
        #expect(message.groupTemplate == "{p}:{a}")
        // The compact form of Meta's WebhookEvent (see Sources/Meta/Webhook/WebhookEvent.swift).
        let event = Array(#"{"id":"m_1","p":"instagram","a":"1784","s":"9","r":"1784","ts":1,"k":"message"}"#.utf8)
        let keys = try message.renderKeys(payloadJSON: event)
        #expect(keys.uniqueKey == "m_1" && keys.group == "instagram:1784")
        #expect(message.priority > (try catalog.definition(named: "meter-usage")).priority)
    }

    @Test("a file's fields become the definition")
    func parsesFields() throws {
        let catalog = try JobCatalog.load(directory: try makeCatalogDirectory(["x.yaml": Self.valid]))
        let definition = try catalog.definition(named: "x")
        let expected = JobDefinition(
            name: "x", queue: "work", priority: 10, maxAttempts: 3,
            backoff: .init(base: .seconds(2), maximum: .seconds(60), jitter: 0.5), timeout: .seconds(90),
            uniqueKeyTemplate: "{account_id}:{mid}", uniqueFor: .seconds(3_600), groupTemplate: "{account_id}",
            groupConcurrency: 2, groupRatePerSecond: 2.5
        )
        #expect(definition == expected)
    }

    @Test("defaults apply to omitted fields")
    func defaults() throws {
        let catalog = try JobCatalog.load(directory: try makeCatalogDirectory(["y.yml": "name: y\nqueue: q\n"]))
        #expect(try catalog.definition(named: "y") == JobDefinition(name: "y", queue: "q"))
    }

    @Test(
        "each kind of bad value is reported with its file and field",
        arguments: [
            ("max_attempts: 3", "max_attempts: 0", "jobs/x.yaml: max_attempts must be 1...100 (found 0)"),
            ("max_attempts: 3", "max_attempts: 101", "jobs/x.yaml: max_attempts must be 1...100 (found 101)"),
            ("max_attempts: 3", "max_attempts: many", "jobs/x.yaml: max_attempts must be 1...100 (found many)"),
            ("timeout: 90s", "timeout: 0", "jobs/x.yaml: timeout must be 1s...1h (found 0)"),
            ("timeout: 90s", "timeout: 2h", "jobs/x.yaml: timeout must be 1s...1h (found 2h)"),
            ("timeout: 90s", "timeout: soon", "jobs/x.yaml: timeout must be a duration like 30s, 5m, 2h or 1d"),
            ("jitter: 0.5", "jitter: 1.5", "jobs/x.yaml: backoff.jitter must be 0...1 (found 1.5)"),
            ("jitter: 0.5", "jitter: -0.1", "jobs/x.yaml: backoff.jitter must be 0...1 (found -0.1)"),
            ("priority: 10", "priority: 101", "jobs/x.yaml: priority must be 0...100 (found 101)"),
            ("priority: 10", "priority: -1", "jobs/x.yaml: priority must be 0...100 (found -1)"),
            ("max: 1m", "max: 1s", "jobs/x.yaml: backoff.max must be 2s...7d (found 1s)"),
            ("group_concurrency: 2", "group_concurrency: 0", "jobs/x.yaml: group_concurrency must be 1...10000"),
            ("group_rate_per_second: 2.5", "group_rate_per_second: 0", "jobs/x.yaml: group_rate_per_second must be"),
            ("name: x", "name: y", "jobs/x.yaml: name 'y' must equal the file name 'x'"),
            ("queue: work", "queue: Work{1}", "jobs/x.yaml: queue must be lowercase letters"),
            ("queue: work", "priority_x: 1", "jobs/x.yaml: unknown field priority_x (known: name, summary, queue"),
            ("queue: work\n", "", "jobs/x.yaml: queue is required"),
            ("jitter: 0.5", "jitter: 0.5\n  factor: 2", "jobs/x.yaml: unknown field backoff.factor"),
            (
                "unique_key: \"{account_id}:{mid}\"", "unique_key: {mid}",
                "jobs/x.yaml: unique_key must be a single value"
            ),
            (
                "unique_key: \"{account_id}:{mid}\"", "unique_key: \"{mid\"",
                "jobs/x.yaml: unique_key has an unclosed '{'"
            ),
            ("group: \"{account_id}\"", "group: \"{1x}\"", "jobs/x.yaml: group has a bad field name '{1x}'"),
            ("unique_key: \"{account_id}:{mid}\"", "summary: s", "jobs/x.yaml: unique_for needs unique_key"),
            ("group: \"{account_id}\"", "summary: s", "jobs/x.yaml: group_concurrency needs group"),
            ("timeout: 90s", "timeout: 90s\ntimeout: 10s", "found the following duplicated key(s): 'timeout'"),
        ]
    )
    func invalidValue(_ replacing: String, _ replacement: String, _ expected: String) throws {
        let text = Self.valid.replacingOccurrences(of: replacing, with: replacement)
        #expect(text != Self.valid)
        let directory = try makeCatalogDirectory(["x.yaml": text])
        let error = #expect(throws: JobError.self) { try JobCatalog.load(directory: directory) }
        #expect(error?.code == .invalidCatalog)
        #expect(error?.message?.contains(expected) == true, "\(error?.message ?? "no message")")
    }

    @Test("problems in several files are all reported at once")
    func allProblems() throws {
        let directory = try makeCatalogDirectory([
            "a.yaml": "name: a\nqueue: q\nmax_attempts: 0\n", "b.yaml": "name: b\nqueue: q\ntimeout: 5h\n",
            "c.yaml": "name: c\nqueue: [\n", "README.md": "not a job",
        ])
        let error = #expect(throws: JobError.self) { try JobCatalog.load(directory: directory) }
        let lines = error?.message?.split(separator: "\n").map(String.init) ?? []
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("jobs/a.yaml: max_attempts") == true)
        #expect(lines.dropFirst().first?.hasPrefix("jobs/b.yaml: timeout") == true)
        #expect(lines.last?.hasPrefix("jobs/c.yaml: not valid YAML") == true)
    }

    @Test("the same job name in two files is a duplicate")
    func duplicateNames() throws {
        let directory = try makeCatalogDirectory(["a.yaml": "name: a\nqueue: q\n", "a.yml": "name: a\nqueue: q\n"])
        let error = #expect(throws: JobError.self) { try JobCatalog.load(directory: directory) }
        #expect(error?.message == "jobs/a.yml: duplicate job name 'a' (also in jobs/a.yaml)")
        #expect(throws: JobError.self) {
            try JobCatalog([JobDefinition(name: "a", queue: "q"), JobDefinition(name: "a", queue: "r")])
        }
    }

    @Test("a missing or empty directory is a clear error")
    func missingDirectory() throws {
        #expect(throws: JobError.self) { try JobCatalog.load(directory: "/nonexistent/jobs") }
        let empty = try makeCatalogDirectory([:])
        let error = #expect(throws: JobError.self) { try JobCatalog.load(directory: empty) }
        #expect(error?.message?.hasSuffix("no job files (*.yaml)") == true)
    }

    @Test("an unknown job name is an unknownJob error")
    func unknownJob() throws {
        let catalog = try JobCatalog([JobDefinition(name: "a", queue: "q")])
        let error = #expect(throws: JobError.self) { try catalog.definition(named: "b") }
        #expect(error?.code == .unknownJob)
        #expect(error?.message?.contains("'b'") == true)
    }

    @Test("handlers and files must match, and one error lists every mismatch")
    func handlerNames() throws {
        let catalog = try JobCatalog([JobDefinition(name: "a", queue: "q"), JobDefinition(name: "b", queue: "q")])
        try catalog.validate(handlerNames: ["a", "b"])
        let error = #expect(throws: JobError.self) { try catalog.validate(handlerNames: ["a", "c", "d"]) }
        #expect(error?.code == .invalidCatalog)
        #expect(error?.message == "handlers without a jobs/ file: c, d; jobs/ files without a handler: b")
    }
}
