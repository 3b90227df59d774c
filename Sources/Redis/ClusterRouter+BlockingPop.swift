extension ClusterRouter {
    /// A `BLPOP`/`BRPOP` over keys in several slots cannot block on every node: first pop each key without
    /// blocking (one pipeline); if all are empty the caller blocks on the first key's slot, for at most 50 ms,
    /// so the other keys are looked at again soon.
    /// - Returns: `[key, value]` like the blocking pop, or `nil` when every key was empty.
    func popAnyFirst(_ command: RedisCommand, _ anchor: RedisConnection) throws -> RedisReply? {
        let name = command.upperName
        guard name == "BLPOP" || name == "BRPOP", command.arguments.count > 3 else { return nil }
        let keys = Array(command.arguments[1..<(command.arguments.count - 1)])
        let pops = keys.map { RedisCommand(rawArguments: [Array((name == "BLPOP" ? "LPOP" : "RPOP").utf8), $0]) }
        let results = try pipeline(pops, anchor: anchor)
        for (key, result) in zip(keys, results) {
            if case .success(let value) = result, !value.isNull { return .array([.bulk(key), value]) }
        }
        return nil
    }
}
