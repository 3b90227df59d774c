import HTTP

/// A reply type ``GraphTransport/decode(_:from:operation:)`` can read from a ``JSONBodyValue`` when the body has the
/// common shape, answering exactly as its synthesized `Decodable` conformance would; `nil` falls back to
/// `JSONDecoder` (and its errors).
protocol GraphFastDecodable {
    /// The value, or `nil` to fall back to `JSONDecoder`.
    static func fastDecoded(from body: [UInt8]) -> Self?
}

/// The members of a JSON object body (the optional members are read with `JSONBodyValue.optionalString(_:)` and
/// its siblings).
enum GraphField {
    static func members(_ body: [UInt8]) -> [String: JSONBodyValue]? {
        guard case .object(let members)? = JSONBodyValue.parse(body) else { return nil }
        return members
    }
}
