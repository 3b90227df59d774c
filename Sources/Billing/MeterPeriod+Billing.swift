public import Foundation

extension MeterPeriod {
    /// Parses `YYYY-MM`, or `current` / `previous` relative to `now` (UTC) — the `--period` of
    /// `woodstock export-billing` and the `period` of the `export-billing` job.
    /// - Throws: ``BillingError`` `.invalidPeriod` for anything else.
    public init(parsing text: String, now: Date = Date()) throws {
        switch text {
        case "current": self = MeterPeriod(containing: now)
        case "previous": self = MeterPeriod(containing: now).previous
        default:
            guard text.unicodeScalars.allSatisfy({ $0.isASCII }), let period = MeterPeriod(text) else {
                throw BillingError(.invalidPeriod, message: "expected YYYY-MM, current or previous")
            }
            self = period
        }
    }

    /// The month before.
    public var previous: MeterPeriod {
        let start = self.start.addingTimeInterval(-86_400)
        return MeterPeriod(containing: start)
    }

    /// Whether the period is over at `now`, so its figures no longer change.
    public func isClosed(at now: Date = Date()) -> Bool { now >= end }
}
