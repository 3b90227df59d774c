extension JSONBodyValue {
    /// An optional string member as a synthesized `decodeIfPresent` reads it: missing or `null` is `.some(nil)`, a
    /// string is `.some(text)`, any other type is `nil` (the decoder would throw: the caller falls back to it).
    /// - Parameter value: the member, or `nil` when the object lacks it.
    /// - Returns: the member's value, or `nil` to fall back.
    public static func optionalString(_ value: JSONBodyValue?) -> String?? {
        switch value {
        case nil, .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        default: return nil
        }
    }

    /// An optional integer member, read as ``optionalString(_:)`` reads strings.
    /// - Parameter value: the member, or `nil` when the object lacks it.
    /// - Returns: the member's value, or `nil` to fall back.
    public static func optionalInt(_ value: JSONBodyValue?) -> Int?? {
        switch value {
        case nil, .null?: return .some(nil)
        case .integer(let number)?: return .some(number)
        default: return nil
        }
    }

    /// An optional boolean member, read as ``optionalString(_:)`` reads strings.
    /// - Parameter value: the member, or `nil` when the object lacks it.
    /// - Returns: the member's value, or `nil` to fall back.
    public static func optionalBool(_ value: JSONBodyValue?) -> Bool?? {
        switch value {
        case nil, .null?: return .some(nil)
        case .bool(let flag)?: return .some(flag)
        default: return nil
        }
    }
}
