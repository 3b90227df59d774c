import Redis

extension Settings {
    /// Reads `WOODSTOCK_DURABLE_ENQUEUE` (`auto`, the default | `on` | `off`) and
    /// `WOODSTOCK_DURABLE_ENQUEUE_TIMEOUT_MS` (1...60000, default 1000): whether the webhook answers 200 only
    /// after a Redis replica acknowledged the enqueue (`WAIT 1 <timeout>`). See ``RedisDurability`` for what
    /// each mode risks: `auto` confirms whenever a replica is attached and degrades to `off` (with a
    /// warning) when none is; `on` answers 503 instead, so Meta redelivers.
    /// - Parameter value: the settings lookup (flag, then environment).
    /// - Returns: the durability of webhook intake.
    /// - Throws: ``SettingsError`` naming the variable whose value is invalid.
    static func durableEnqueueSetting(_ value: (String) -> String?) throws -> RedisDurability {
        let raw = value("WOODSTOCK_DURABLE_ENQUEUE")?.lowercased() ?? "auto"
        let aliases: [String: RedisDurability.Mode] = ["1": .required, "true": .required, "0": .off, "false": .off]
        guard let mode = RedisDurability.Mode(rawValue: raw) ?? aliases[raw] else {
            throw SettingsError(variable: "WOODSTOCK_DURABLE_ENQUEUE", problem: "must be auto|on|off")
        }
        var milliseconds = 1_000
        if let text = value("WOODSTOCK_DURABLE_ENQUEUE_TIMEOUT_MS") {
            guard let parsed = Int(text), (1...60_000).contains(parsed) else {
                throw SettingsError(variable: "WOODSTOCK_DURABLE_ENQUEUE_TIMEOUT_MS", problem: "must be 1...60000")
            }
            milliseconds = parsed
        }
        return RedisDurability(mode: mode, replicas: 1, timeout: .milliseconds(milliseconds))
    }

    /// The durable-enqueue settings for `woodstock config`.
    var durableEnqueueDescription: String {
        let milliseconds =
            durableEnqueue.timeout.components.seconds * 1000
            + durableEnqueue.timeout.components.attoseconds / 1_000_000_000_000_000
        return "WOODSTOCK_DURABLE_ENQUEUE=\(durableEnqueue.mode.rawValue) "
            + "WOODSTOCK_DURABLE_ENQUEUE_TIMEOUT_MS=\(milliseconds)"
    }
}
