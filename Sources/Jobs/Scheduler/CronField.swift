/// One of the five fields of a cron expression, as the set of values it matches.
struct CronField: Hashable, Sendable {
    /// Which field, with its range and names.
    enum Kind: Sendable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var label: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// The values one may write (day-of-week accepts 7 for Sunday).
        var range: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// Names and their values, lowercase.
        var names: [String: Int] {
            switch self {
            case .month:
                let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
                return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0 + 1) })
            case .dayOfWeek:
                let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
                return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            default:
                return [:]
            }
        }
    }

    /// Bit `n` is set when the field matches value `n`.
    let bits: UInt64
    /// The field was written starting with `*` (`*` or `*/n`): for the day fields this selects the
    /// AND rule instead of the OR rule, as Vixie cron does.
    let isStar: Bool

    /// Parses one field.
    /// - Throws: ``JobError/Code/invalidCrontab`` with a reason such as `minute 61 is out of range 0-59`.
    init(parsing text: Substring, kind: Kind) throws {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            bits |= try Self.parseItem(item, kind: kind, field: text)
        }
        if kind == .dayOfWeek, bits & (1 << 7) != 0 { bits = (bits & ~(1 << 7)) | 1 }
        self.bits = bits
        self.isStar = text.first == "*"
    }

    func contains(_ value: Int) -> Bool { bits & (1 << UInt64(value)) != 0 }

    /// The smallest matching value `>= value`, if any.
    func first(atLeast value: Int) -> Int? {
        guard value < 64 else { return nil }
        let masked = bits & (~UInt64(0) << UInt64(max(value, 0)))
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    /// The largest matching value `<= value`, if any.
    func last(atMost value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let masked = value >= 63 ? bits : bits & ((UInt64(1) << UInt64(value + 1)) - 1)
        return masked == 0 ? nil : 63 - masked.leadingZeroBitCount
    }

    private static func parseItem(_ item: Substring, kind: Kind, field: Substring) throws -> UInt64 {
        func fail(_ reason: String) -> JobError {
            JobError(.invalidCrontab, message: "\(kind.label) field '\(field)': \(reason)")
        }
        guard !item.isEmpty else { throw fail("empty list item") }
        let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw fail("more than one '/' in '\(item)'") }
        let rangeText = pieces[0]
        var low: Int
        var high: Int
        if rangeText == "*" {
            (low, high) = (kind.range.lowerBound, kind == .dayOfWeek ? 6 : kind.range.upperBound)
        } else if let dash = rangeText.firstIndex(of: "-") {
            low = try value(rangeText[..<dash], kind: kind, fail: fail)
            high = try value(rangeText[rangeText.index(after: dash)...], kind: kind, fail: fail)
            guard low <= high else { throw fail("range \(rangeText) runs backwards") }
        } else {
            low = try value(rangeText, kind: kind, fail: fail)
            high = low
            guard pieces.count == 1 else {
                throw fail("a step needs a range or '*' (write \(low)-\(kind.range.upperBound)/\(pieces[1]))")
            }
        }
        var step = 1
        if pieces.count == 2 {
            let span = kind.range.upperBound - kind.range.lowerBound + 1
            guard let parsed = Int(pieces[1]), pieces[1].allSatisfy(\.isASCII), (1...span).contains(parsed) else {
                throw fail("step '\(pieces[1])' must be a number 1-\(span)")
            }
            step = parsed
        }
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { bits |= 1 << UInt64(value) }
        return bits
    }

    private static func value(_ text: Substring, kind: Kind, fail: (String) -> JobError) throws -> Int {
        if let named = kind.names[text.lowercased()] { return named }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text) else {
            let names =
                kind.names.isEmpty
                ? "" : " or a name (\(kind.names.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")))"
            throw fail("'\(text)' is not a number\(names)")
        }
        guard kind.range.contains(number) else {
            throw fail("\(number) is out of range \(kind.range.lowerBound)-\(kind.range.upperBound)")
        }
        return number
    }
}
