/// Where one command goes in a Redis Cluster.
enum ClusterRoute: Equatable {
    /// The master serving this hash slot.
    case slot(Int)
    /// Any node (keyless commands such as `PING`, `INFO`, a script with no keys).
    case anyNode
    /// Every master (`SCRIPT LOAD`, `SCRIPT FLUSH`, `FLUSHDB`); the first reply is returned.
    case allMasters
    /// `WAIT`: the nodes this connection wrote to; the smallest count is returned.
    case wait

    /// The route of a command, from its name and the position of its first key.
    init(_ command: RedisCommand) {
        let arguments = command.arguments
        guard let name = arguments.first else {
            self = .anyNode
            return
        }
        let upper = String(decoding: name.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
        switch upper {
        case "PING", "ECHO", "INFO", "TIME", "DBSIZE", "CLUSTER", "CONFIG", "CLIENT", "COMMAND", "ASKING",
            "READONLY", "READWRITE", "AUTH", "HELLO", "SELECT", "MULTI", "EXEC", "DISCARD", "UNWATCH", "PUBLISH",
            "SLOWLOG", "LASTSAVE", "ROLE", "DEBUG", "LATENCY", "RANDOMKEY":
            self = .anyNode
        case "SCRIPT", "FLUSHDB", "FLUSHALL", "FUNCTION":
            self = .allMasters
        case "WAIT":
            self = .wait
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            guard arguments.count > 3, let count = Int(String(decoding: arguments[2], as: UTF8.self)), count > 0
            else {
                self = .anyNode
                return
            }
            self = .slot(RedisClusterSlot.slot(for: arguments[3]))
        case "XREAD", "XREADGROUP":
            let streams = arguments.firstIndex { String(decoding: $0, as: UTF8.self).uppercased() == "STREAMS" }
            if let streams, streams + 1 < arguments.count {
                self = .slot(RedisClusterSlot.slot(for: arguments[streams + 1]))
            } else {
                self = .anyNode
            }
        case "SCAN", "KEYS":
            self = Self.patternRoute(arguments)
        case "OBJECT", "MEMORY", "XINFO", "XGROUP":
            self = arguments.count > 2 ? .slot(RedisClusterSlot.slot(for: arguments[2])) : .anyNode
        default:
            self = arguments.count > 1 ? .slot(RedisClusterSlot.slot(for: arguments[1])) : .anyNode
        }
    }

    /// `SCAN … MATCH pattern` / `KEYS pattern` go to the slot of the pattern's hash tag when it has one
    /// (`woodstock:jobs:\{q\}*`), else to any node (a cluster-wide scan must visit every master).
    private static func patternRoute(_ arguments: [[UInt8]]) -> ClusterRoute {
        var pattern: [UInt8]?
        if String(decoding: arguments[0], as: UTF8.self).uppercased() == "KEYS" {
            pattern = arguments.count > 1 ? arguments[1] : nil
        } else if let match = arguments.firstIndex(where: {
            String(decoding: $0, as: UTF8.self).uppercased() == "MATCH"
        }),
            match + 1 < arguments.count
        {
            pattern = arguments[match + 1]
        }
        guard var bytes = pattern else { return .anyNode }
        bytes.removeAll { $0 == UInt8(ascii: "\\") }
        guard let open = bytes.firstIndex(of: UInt8(ascii: "{")),
            let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        else { return .anyNode }
        let tag = bytes[(open + 1)..<close]
        if tag.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }) {
            return .anyNode
        }
        return .slot(RedisClusterSlot.slot(for: Array(bytes[open...close])))
    }
}

extension RedisCommand {
    /// The command name in upper case (ASCII).
    var upperName: String {
        String(decoding: (arguments.first ?? []).map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
    }

    /// For a multi-key blocking pop (`BLPOP`, `BRPOP`, `BZPOPMIN`, `BZPOPMAX`) in a cluster: the same
    /// command on only the keys in the first key's slot (one connection can block on one node only), blocking
    /// at most 50 ms so the caller looks at the other keys again soon.
    func restrictedToFirstKeySlot() -> RedisCommand {
        guard ["BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX"].contains(upperName), arguments.count > 3 else { return self }
        let keys = arguments[1..<(arguments.count - 1)]
        guard let first = keys.first else { return self }
        let slot = RedisClusterSlot.slot(for: first)
        let kept = keys.filter { RedisClusterSlot.slot(for: $0) == slot }
        guard kept.count != keys.count else { return self }
        let timeout = Double(String(decoding: arguments[arguments.count - 1], as: UTF8.self)) ?? 0
        let capped = timeout == 0 ? 0.05 : min(timeout, 0.05)
        return RedisCommand(rawArguments: [arguments[0]] + kept + [Array(String(capped).utf8)])
    }
}
