import CustomTools

extension Settings {
    /// Reads the custom-tool settings (see ``CustomToolSettings`` for the defaults):
    /// `WOODSTOCK_TOOLS_ALLOW_LOOPBACK`, `WOODSTOCK_TOOLS_ALLOW_PRIVATE`, `WOODSTOCK_TOOLS_ALLOW_HTTP` (booleans:
    /// `1|true|yes|on` or `0|false|no|off`), `WOODSTOCK_TOOLS_CA_FILE` (a PEM bundle to trust),
    /// `WOODSTOCK_TOOLS_MAX_TIMEOUT_MS` (100...30000).
    /// - Parameter value: the settings lookup (flag, then environment).
    /// - Returns: the settings.
    /// - Throws: ``SettingsError`` naming the variable whose value is invalid.
    static func customToolSettings(_ value: (String) -> String?) throws -> CustomToolSettings {
        func flag(_ name: String) throws -> Bool {
            guard let raw = value(name)?.lowercased() else { return false }
            if ["1", "true", "yes", "on"].contains(raw) { return true }
            if ["0", "false", "no", "off"].contains(raw) { return false }
            throw SettingsError(variable: name, problem: "must be 1|true|yes|on or 0|false|no|off")
        }
        var settings = CustomToolSettings(
            allowsLoopback: try flag("WOODSTOCK_TOOLS_ALLOW_LOOPBACK"),
            allowsPrivateNetworks: try flag("WOODSTOCK_TOOLS_ALLOW_PRIVATE"),
            allowsPlainHTTPOnLoopback: try flag("WOODSTOCK_TOOLS_ALLOW_HTTP"),
            caBundlePath: value("WOODSTOCK_TOOLS_CA_FILE"))
        if let raw = value("WOODSTOCK_TOOLS_MAX_TIMEOUT_MS") {
            guard let ms = Int(raw), (100...30_000).contains(ms) else {
                throw SettingsError(variable: "WOODSTOCK_TOOLS_MAX_TIMEOUT_MS", problem: "must be 100...30000")
            }
            settings.maximumTimeout = .milliseconds(ms)
            settings.defaultTimeout = min(settings.defaultTimeout, settings.maximumTimeout)
        }
        return settings
    }

    /// The custom-tool settings for `woodstock config` (no secrets among them).
    var customToolsDescription: String {
        "WOODSTOCK_TOOLS_ALLOW_LOOPBACK=\(customTools.allowsLoopback) "
            + "WOODSTOCK_TOOLS_ALLOW_PRIVATE=\(customTools.allowsPrivateNetworks) "
            + "WOODSTOCK_TOOLS_ALLOW_HTTP=\(customTools.allowsPlainHTTPOnLoopback) "
            + "WOODSTOCK_TOOLS_CA_FILE=\(customTools.caBundlePath ?? "(unset)") "
            + "WOODSTOCK_TOOLS_MAX_TIMEOUT_MS=\(customTools.maximumTimeout.components.seconds * 1000 + customTools.maximumTimeout.components.attoseconds / 1_000_000_000_000_000)"
    }
}
