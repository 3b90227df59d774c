/// A reply from Redis. Error replies are never values: they are thrown as ``RedisError`` `.serverError`.
public enum RedisReply: Sendable, Hashable {
    /// A nil bulk string or nil array.
    case null
    /// An integer reply.
    case integer(Int)
    /// A bulk string, exactly as stored (binary-safe).
    case bulk([UInt8])
    /// A simple status reply such as `OK` or `QUEUED`.
    case status(String)
    /// An array of replies.
    case array([RedisReply])

    /// `true` for ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The integer value, also parsing a bulk string of digits; `nil` otherwise.
    public var int: Int? {
        switch self {
        case .integer(let value): return value
        case .bulk(let bytes): return Int(String(decoding: bytes, as: UTF8.self))
        default: return nil
        }
    }

    /// The bytes of a bulk string or status; `nil` otherwise.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): return bytes
        case .status(let text): return Array(text.utf8)
        default: return nil
        }
    }

    /// The text of a bulk string or status (invalid UTF-8 is repaired); `nil` otherwise.
    public var string: String? {
        switch self {
        case .bulk(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let text): return text
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    /// The elements of an array reply (``null`` counts as empty); `nil` for other replies.
    public var array: [RedisReply]? {
        switch self {
        case .array(let elements): return elements
        case .null: return []
        default: return nil
        }
    }
}
