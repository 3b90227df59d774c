import Foundation
import TestSupport
import Testing

@testable import Jobs

/// Cross-checks the crontab command parser against the real `/bin/sh`: the arguments a fake `woodstock`
/// receives must be the job and payload we extracted.
@Suite struct CrontabShellTests {
    /// Runs `command` with `/bin/sh -c` (after cron's own `\%` → `%` step), with a fake `woodstock` on the
    /// PATH that prints its arguments, one per line.
    static func argumentsSeenByShell(_ command: String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fakebin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = directory.appendingPathComponent("woodstock")
        try Data("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n".utf8).write(to: fake)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command.replacingOccurrences(of: "\\%", with: "%")]
        process.environment = ["PATH": "\(directory.path):/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        ChildExit.wait(for: process)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("the repository's crontab commands give the shell the job and payload we parse")
    func repositoryCommands() throws {
        let crontab = try Crontab.load(path: repositoryRoot.appendingPathComponent("crontab").path)
        #expect(crontab.entries.count == 4)
        for entry in crontab.entries {
            let arguments = try Self.argumentsSeenByShell(entry.command)
            let payload = String(decoding: entry.payloadJSON, as: UTF8.self)
            #expect(arguments == ["enqueue", entry.jobName, "--scheduled", "--payload", payload])
        }
    }

    @Test(
        "quoting and escapes agree with the shell",
        arguments: [
            #"woodstock enqueue noop --payload "{\"pct\": \"80\%\"}""#,
            #"woodstock enqueue noop --payload {\"a\":\ 2}"#,
            #"woodstock enqueue noop --payload '{"b": "x y"}'"#,
            #"woodstock enqueue noop --payload={\"c\":\ \"q\"}"#,
        ]
    )
    func quoting(_ command: String) throws {
        let entry = try #require(try Crontab(parsing: "* * * * * \(command)").entries.first)
        let arguments = try Self.argumentsSeenByShell(command)
        let payload = String(decoding: entry.payloadJSON, as: UTF8.self)
        let shellPayload =
            arguments.count == 4 ? arguments[3] : String(arguments.last?.dropFirst("--payload=".count) ?? "")
        #expect(arguments.prefix(2) == ["enqueue", "noop"])
        #expect(shellPayload == payload)
    }
}
