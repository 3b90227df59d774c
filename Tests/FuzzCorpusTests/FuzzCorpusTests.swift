import Foundation
import FuzzChecks
import Meta
import Testing

/// Replays the committed libFuzzer corpus (Fuzz/corpus/<target>/) through the same properties the fuzz targets
/// check (Fuzz/Checks): the seeds, and every crash `scripts/fuzz` found once it is committed there, run in every
/// `scripts/test`.
@Suite struct FuzzCorpusTests {
    /// The repository's `Fuzz/corpus` directory, found from this file's path.
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static let targets: [(name: String, check: @Sendable ([UInt8]) -> String?)] = [
        ("webhook-parser", WebhookParserCheck.check), ("webhook-signature", WebhookSignatureCheck.check),
        ("crontab", CrontabCheck.check), ("redis-reply", RedisReplyCheck.check),
    ]

    @Test("every committed corpus input holds its target's property", arguments: 0..<4)
    func corpusHolds(_ index: Int) throws {
        let target = Self.targets[index]
        let directory = Self.corpus.appendingPathComponent(target.name)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(!files.isEmpty, "no corpus in \(directory.path)")
        var parsedEvents = 0
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
            #expect(target.check(bytes) == nil, "\(target.name)/\(file)")
            if target.name == "webhook-parser" { parsedEvents += (try? WebhookParser.parse(bytes).events.count) ?? 0 }
        }
        // The webhook seeds are real deliveries: their events exercise the job-payload round trip, not only the
        // parser's refusal path.
        if target.name == "webhook-parser" { #expect(parsedEvents > 0) }
    }
}
