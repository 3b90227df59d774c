import HTTP

/// A reply type ``GraphTransport/decode(_:from:operation:)`` can read from a ``JSONBodyValue`` when the body has the
/// common shape, answering exactly as its synthesized `Decodable` conformance would; `nil` falls back to
/// `JSONDecoder` (and its errors).
protocol GraphFastDecodable {
    /// The value, or `nil` to fall back to `JSONDecoder`.
    static func fastDecoded(from body: [UInt8]) -> Self?
}

/// Optional members as a synthesized `decodeIfPresent` reads them: missing or `null` is `.some(nil)`, the right
/// type is `.some(value)`, any other type is `nil` (the decoder would throw: fall back to it).
enum GraphField {
    static func members(_ body: [UInt8]) -> [String: JSONBodyValue]? {
        guard case .object(let members)? = JSONBodyValue.parse(body) else { return nil }
        return members
    }

    static func string(_ value: JSONBodyValue?) -> String?? {
        switch value {
        case nil, .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        default: return nil
        }
    }

    static func int(_ value: JSONBodyValue?) -> Int?? {
        switch value {
        case nil, .null?: return .some(nil)
        case .integer(let number)?: return .some(number)
        default: return nil
        }
    }

    static func bool(_ value: JSONBodyValue?) -> Bool?? {
        switch value {
        case nil, .null?: return .some(nil)
        case .bool(let flag)?: return .some(flag)
        default: return nil
        }
    }
}
