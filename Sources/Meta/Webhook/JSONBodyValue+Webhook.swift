import Foundation
import HTTP

/// How the webhook parser reads ``JSONBodyValue`` trees: leniently, as Meta's payloads vary.
extension JSONBodyValue {
    /// Parses a delivery: the fast parser, or (for valid JSON it declines: duplicate keys) `JSONDecoder`, which keeps
    /// one of the duplicates as the parser did before the fast path; nil when the bytes are not JSON.
    static func parseWebhook(_ bytes: [UInt8]) -> JSONBodyValue? {
        if let value = parse(bytes) { return value }
        return (try? JSONDecoder().decode(DecodedTree.self, from: Data(bytes)))?.value
    }

    /// The members of an object, or nil for any other value.
    var members: [String: JSONBodyValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array, or nil for any other value.
    var elements: [JSONBodyValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The member named `key` of an object.
    subscript(key: String) -> JSONBodyValue? { members?[key] }

    /// A string, or a number read into text the way `JSONDecoder` reads it into a `String` via `Int64` then
    /// `Double` (ids Meta sends as numbers); nil for anything else.
    var lenientString: String? {
        switch self {
        case .string(let text): return text
        case .integer(let value): return String(value)
        case .number(let text):
            if let value = Int64(text) { return String(value) }
            return Double(text).map { String($0) }
        default: return nil
        }
    }

    /// An integer written as a number (integral or not) or as a string of digits (timestamps); nil otherwise.
    var lenientInt: Int64? {
        switch self {
        case .integer(let value): return Int64(value)
        case .number(let text):
            if let value = Int64(text) { return value }
            guard let value = Double(text), value.isFinite, abs(value) < 9e18 else { return nil }
            return Int64(value)
        case .string(let text): return Int64(text)
        default: return nil
        }
    }
}

/// A `JSONBodyValue` read through `JSONDecoder` (the webhook parser's fallback).
private struct DecodedTree: Decodable {
    let value: JSONBodyValue

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: JSONBodyValue] = [:]
            for key in object.allKeys {
                members[key.stringValue] = try object.decode(DecodedTree.self, forKey: key).value
            }
            value = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONBodyValue] = []
            while !array.isAtEnd { elements.append(try array.decode(DecodedTree.self).value) }
            value = .array(elements)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                value = .null
            } else if let flag = try? single.decode(Bool.self) {
                value = .bool(flag)
            } else if let integer = try? single.decode(Int.self) {
                value = .integer(integer)
            } else if let text = try? single.decode(String.self) {
                value = .string(text)
            } else {
                value = .number(String(try single.decode(Double.self)))
            }
        }
    }
}

/// Any object key.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
