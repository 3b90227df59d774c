/// Reads and writes the durations the catalog files use: `500ms`, `30s`, `5m`, `2h`, `1d`, or `1h30m`.
///
/// A bare number is seconds. Units: `ms`, `s`, `m`, `h`, `d`.
enum CatalogDuration {
    /// Parses `text`, or returns `nil` when it is not a duration.
    static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if let seconds = Int64(trimmed), seconds >= 0 { return .seconds(seconds) }
        var total = Duration.zero
        var digits = ""
        var unit = ""
        func flush() -> Bool {
            guard let value = Int64(digits), !unit.isEmpty else { return false }
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3_600)
            case "d": total += .seconds(value * 86_400)
            default: return false
            }
            digits = ""
            unit = ""
            return true
        }
        for character in trimmed {
            if character.isASCII, character.isNumber {
                if !unit.isEmpty { guard flush() else { return nil } }
                digits.append(character)
            } else if character.isASCII, character.isLetter {
                guard !digits.isEmpty else { return nil }
                unit.append(character)
            } else {
                return nil
            }
        }
        guard flush() else { return nil }
        return total
    }

    /// Formats `duration` the way the catalog files write it, e.g. `90s` → `1m30s`.
    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1_000 != 0 { return "\(milliseconds)ms" }
        var seconds = milliseconds / 1_000
        if seconds == 0 { return "0s" }
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        return text
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
