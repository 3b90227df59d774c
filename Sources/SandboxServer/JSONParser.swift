/// A strict JSON reader over raw bytes that builds ``JSONValue``s without `JSONDecoder`'s machinery, and can skip
/// (validate without building) the members a caller does not read.
///
/// It accepts what `JSONDecoder` accepts when decoding a `JSONValue`: any top-level value, a leading UTF-8 byte
/// order mark, trailing commas in arrays and objects, at most 512 levels of nesting; it rejects invalid UTF-8,
/// unpaired surrogates, control characters inside strings, leading zeros and numbers that overflow a `Double`.
/// A repeated key keeps its first value, as `JSONDecoder` does.
struct JSONParser {
    /// Which parts of a document to build; the rest is validated and dropped.
    indirect enum Filter: Sendable {
        /// Build the whole value.
        case all
        /// For an object: build only these members (each with its own filter). For an array: apply to each
        /// element. A scalar is always built.
        case members([String: Filter])
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private static let maxDepth = 512

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses `bytes` as one JSON document.
    /// - Parameters:
    ///   - bytes: the document.
    ///   - filter: the parts to build (default: everything).
    /// - Returns: the value, or nil when the document is not valid JSON.
    static func parse(_ bytes: [UInt8], filter: Filter = .all) -> JSONValue? {
        var parser = JSONParser(bytes: bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.index = 3 }
        guard let value = parser.value(filter) else { return nil }
        parser.skipWhitespace()
        guard parser.index == bytes.count, let value else { return nil }
        return value
    }

    // MARK: Values

    /// The next value: `.some(nil)` when it was skipped (`filter` nil), `nil` when the input is invalid.
    private mutating func value(_ filter: Filter?) -> JSONValue?? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(filter)
        case UInt8(ascii: "["): return array(filter)
        case UInt8(ascii: "\""):
            guard let text = string(building: filter != nil) else { return nil }
            return .some(text.map { .string($0) })
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default:
            guard let number = number() else { return nil }
            return .some(filter == nil ? nil : .number(number))
        }
    }

    private mutating func object(_ filter: Filter?) -> JSONValue?? {
        guard enter() else { return nil }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
            guard bytes[index] == UInt8(ascii: "\""), let key = string(building: filter != nil) else { return nil }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            let memberFilter: Filter?
            switch filter {
            case nil: memberFilter = nil
            case .all: memberFilter = .all
            case .members(let wanted): memberFilter = key.flatMap { wanted[$0] }
            }
            guard let member = value(memberFilter) else { return nil }
            if let key, let member, members[key] == nil { members[key] = member }
            guard separator(closing: UInt8(ascii: "}")) else { return nil }
        }
        guard index < bytes.count else { return nil }
        index += 1
        depth -= 1
        return .some(filter == nil ? nil : .object(members))
    }

    private mutating func array(_ filter: Filter?) -> JSONValue?? {
        guard enter() else { return nil }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
            guard let element = value(filter) else { return nil }
            if let element { elements.append(element) }
            guard separator(closing: UInt8(ascii: "]")) else { return nil }
        }
        guard index < bytes.count else { return nil }
        index += 1
        depth -= 1
        return .some(filter == nil ? nil : .array(elements))
    }

    /// Counts one level of nesting; false past the limit.
    private mutating func enter() -> Bool {
        depth += 1
        return depth <= Self.maxDepth
    }

    /// After a member or element: a comma (a trailing one is allowed), or whitespace before `closing`.
    private mutating func separator(closing: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            return index < bytes.count
        }
        return bytes[index] == closing
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue?? {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        var matches = true
        word.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[index + offset] != expected[offset] { matches = false }
        }
        guard matches else { return nil }
        index += count
        return .some(value)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    // MARK: Numbers

    /// A number in JSON's grammar (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`) that fits a `Double`.
    private mutating func number() -> Double? {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            skipDigits()
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            skipDigits()
        }
        guard let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)), number.isFinite else {
            return nil
        }
        return number
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    // MARK: Strings

    /// A string at `index` (which holds its opening quote): `.some(nil)` when not `building`, nil when invalid.
    private mutating func string(building: Bool) -> String?? {
        index += 1
        let start = index
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let end = index
                index += 1
                if isASCII && !building { return .some(nil) }
                guard let text = String(validating: bytes[start..<end], as: UTF8.self) else { return nil }
                return .some(building ? text : nil)
            }
            if byte == UInt8(ascii: "\\") {
                index = start
                guard let text = escapedString() else { return nil }
                return .some(building ? text : nil)
            }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        return nil
    }

    /// The slow path for a string with escapes, from its first character to its closing quote.
    private mutating func escapedString() -> String? {
        var decoded: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(validating: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    UTF8.encode(scalar) { decoded.append($0) }
                default: return nil
                }
            default:
                if byte < 0x20 { return nil }
                decoded.append(byte)
            }
        }
        return nil
    }

    /// The scalar of a `\uXXXX` escape (after `\u`), joining a surrogate pair; nil when unpaired or malformed.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if high < 0xD800 || high > 0xDFFF { return Unicode.Scalar(high) }
        guard high < 0xDC00, peek(UInt8(ascii: "\\")), index + 1 < bytes.count,
            bytes[index + 1] == UInt8(ascii: "u")
        else { return nil }
        index += 2
        guard let low = hex4(), low >= 0xDC00, low <= 0xDFFF else { return nil }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
