/// An ordered list of HTTP header fields with case-insensitive lookup.
///
/// Names and values may not contain CR or LF; ``HTTPClient`` rejects such a request with
/// `HTTPError(.invalidRequest)` instead of letting a header be injected.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The fields in order, as (name, value) pairs.
    public private(set) var fields: [(name: String, value: String)]

    /// Creates headers from (name, value) pairs, keeping their order.
    /// - Parameter fields: the header fields.
    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// Creates headers from a dictionary literal: `["Content-Type": "application/json"]`.
    /// - Parameter elements: the header fields.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// Appends a field (an existing one of the same name stays).
    /// - Parameters:
    ///   - name: the field name.
    ///   - value: the field value.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field named `name` (any case) by one field with `value`.
    /// - Parameters:
    ///   - name: the field name.
    ///   - value: the new value.
    public mutating func replaceOrAdd(name: String, value: String) {
        fields.removeAll { $0.name.lowercased() == name.lowercased() }
        fields.append((name: name, value: value))
    }

    /// The first value of the field named `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value of the field named `name`, compared case-insensitively.
    /// - Parameter name: the field name.
    /// - Returns: the values in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// `a.lowercased() == b.lowercased()`, without allocating when both are ASCII (header names always are in
    /// practice: every response's headers are searched this way).
    static func namesMatch(_ a: String, _ b: String) -> Bool {
        let (aBytes, bBytes) = (a.utf8, b.utf8)
        guard aBytes.count == bBytes.count else {
            return !(aBytes.allSatisfy { $0 < 0x80 } && bBytes.allSatisfy { $0 < 0x80 })
                && a.lowercased() == b.lowercased()
        }
        for (x, y) in zip(aBytes, bBytes) {
            guard x < 0x80, y < 0x80 else { return a.lowercased() == b.lowercased() }
            if x != y, Self.asciiLower(x) != Self.asciiLower(y) { return false }
        }
        return true
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    /// Field names only: values (e.g. `Authorization`) are never printed.
    public var description: String {
        "HTTPHeaders(\(fields.map(\.name).joined(separator: ", ")))"
    }
}
