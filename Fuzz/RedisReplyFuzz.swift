// libFuzzer target: Redis replies through hiredis's reader and our conversion. The property lives in Fuzz/Checks/RedisReplyCheck.swift, which
// Tests/FuzzCorpusTests also replays over the committed corpus (Fuzz/corpus/redis-reply/): an input that crashed here,
// once committed there, is a regression test of `scripts/test`.
import FuzzChecks

/// libFuzzer's entry point: checks one input of `size` bytes at `data`; returns 0 (a failed check traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRedisReply(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let problem = RedisReplyCheck.check(Array(UnsafeBufferPointer(start: data, count: size))) { fatalError(problem) }
    return 0
}
