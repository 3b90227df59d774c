public import Logging

extension Relay {
    /// Installs the process-wide log handler once, as ``Settings/logFormat`` and ``Settings/logLevel`` say.
    ///
    /// Call it first thing in a command; later calls are ignored by swift-log.
    public static func bootstrapLogging(_ settings: Settings) {
        let level = settings.logLevel
        switch settings.logFormat {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }

    /// A logger for one part of the system, e.g. `woodstock.work`.
    public static func logger(_ label: String) -> Logger { Logger(label: label) }
}
