/// Reads a JSON payload's top-level scalar fields as text, for ``PayloadTemplate``.
///
/// Strings are used as is, integers as written, other numbers in Swift's shortest `Double` form,
/// booleans as `true`/`false`. `null`, objects and arrays are left out (a template that needs them
/// fails). A single pass over the bytes, without Foundation: the engine calls this at every enqueue.
enum PayloadFields {
    /// Decodes the payload's top-level fields.
    /// - Throws: ``JobError/Code/payloadEncoding`` when the payload is not a well-formed JSON object.
    /// - Parameters:
    ///   - payloadJSON: The payload.
    ///   - keeping: The field names to return (the whole payload is still checked).
    ///   - context: Prefix for the error message (the job name).
    static func decode(_ payloadJSON: [UInt8], keeping wanted: [String], context: String) throws -> [String: String] {
        var scanner = Scanner(bytes: payloadJSON, wanted: wanted)
        guard let fields = scanner.topLevelObject() else {
            throw JobError(.payloadEncoding, message: "\(context): the payload must be a JSON object")
        }
        return fields
    }

    private struct Scanner {
        let bytes: [UInt8]
        let wanted: [String]
        var index = 0

        init(bytes: [UInt8], wanted: [String]) {
            self.bytes = bytes
            self.wanted = wanted
        }

        mutating func topLevelObject() -> [String: String]? {
            skipWhitespace()
            guard consume(UInt8(ascii: "{")) else { return nil }
            var fields: [String: String] = [:]
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return isAtEndAfterWhitespace() ? fields : nil }
            while true {
                skipWhitespace()
                guard let key = string() else { return nil }
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                guard let value = scalarOrSkip() else { return nil }
                if wanted.contains(key) { fields[key] = value }
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                guard consume(UInt8(ascii: "}")) else { return nil }
                return isAtEndAfterWhitespace() ? fields : nil
            }
        }

        /// A value: `.some(text)` for a scalar, `.some(nil)` for null/object/array, `nil` when malformed.
        private mutating func scalarOrSkip() -> String?? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return string().map { .some($0) }
            case UInt8(ascii: "t"):
                return literal("true") ? .some("true") : nil
            case UInt8(ascii: "f"):
                return literal("false") ? .some("false") : nil
            case UInt8(ascii: "n"):
                return literal("null") ? .some(nil) : nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                return skipContainer() ? .some(nil) : nil
            default:
                return number().map { .some($0) }
            }
        }

        private mutating func string() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            var start = index
            var result: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    result += bytes[start..<index]
                    index += 1
                    return String(decoding: result, as: UTF8.self)
                }
                guard byte >= 0x20 else { return nil }
                guard byte == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                result += bytes[start..<index]
                index += 1
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escaped)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    result += Array(String(Character(scalar)).utf8)
                default: return nil
                }
                start = index
            }
            return nil
        }

        /// After `\u`: four hex digits, or a surrogate pair written as two escapes.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            if (0xD800...0xDBFF).contains(high) {
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = hex4(),
                    (0xDC00...0xDFFF).contains(low)
                else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                guard let digit = Self.hexValue(byte) else { return nil }
                value = value << 4 | digit
            }
            index += 4
            return value
        }

        private static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        private mutating func number() -> String? {
            let start = index
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if let integer = Int64(text) { return String(integer) }
            guard let first = text.utf8.first, first == UInt8(ascii: "-") || (48...57).contains(first),
                let value = Double(text), value.isFinite
            else { return nil }
            return String(value)
        }

        private static func isNumberByte(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }

        /// Skips a nested object or array, minding strings; `false` when unbalanced.
        private mutating func skipContainer() -> Bool {
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default:
                    break
                }
                index += 1
            }
            return false
        }

        private mutating func literal(_ word: String) -> Bool {
            let count = word.utf8.count
            guard index + count <= bytes.count else { return false }
            let matches = bytes[index..<index + count].elementsEqual(word.utf8)
            if matches { index += count }
            return matches
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        private mutating func isAtEndAfterWhitespace() -> Bool {
            skipWhitespace()
            return index == bytes.count
        }
    }
}
