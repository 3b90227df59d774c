// libFuzzer target: Meta's webhook parser and the events' job payloads. The property lives in Fuzz/Checks/WebhookParserCheck.swift, which
// Tests/FuzzCorpusTests also replays over the committed corpus (Fuzz/corpus/webhook-parser/): an input that crashed here,
// once committed there, is a regression test of `scripts/test`.
import FuzzChecks

/// libFuzzer's entry point: checks one input of `size` bytes at `data`; returns 0 (a failed check traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhookParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let problem = WebhookParserCheck.check(Array(UnsafeBufferPointer(start: data, count: size))) {
        fatalError(problem)
    }
    return 0
}
