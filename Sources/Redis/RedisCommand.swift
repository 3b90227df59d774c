/// A value that can be sent as one binary-safe command argument.
public protocol RedisArgumentConvertible: Sendable {
    /// The exact bytes sent to Redis.
    var redisArgument: [UInt8] { get }
}

extension String: RedisArgumentConvertible {
    /// The UTF-8 bytes of the string.
    public var redisArgument: [UInt8] { Array(utf8) }
}

extension Substring: RedisArgumentConvertible {
    /// The UTF-8 bytes of the substring.
    public var redisArgument: [UInt8] { Array(utf8) }
}

extension Int: RedisArgumentConvertible {
    /// The decimal digits of the integer.
    public var redisArgument: [UInt8] { Array(String(self).utf8) }
}

extension Double: RedisArgumentConvertible {
    /// The number in Swift's shortest round-trip decimal form.
    public var redisArgument: [UInt8] { Array(String(self).utf8) }
}

extension Array: RedisArgumentConvertible where Element == UInt8 {
    /// The bytes themselves.
    public var redisArgument: [UInt8] { self }
}

/// One Redis command: a name and its arguments, each sent as bytes with an explicit length.
///
/// ```swift
/// let command = RedisCommand("SET", "key", [0x00, 0xFF] as [UInt8])
/// ```
public struct RedisCommand: Sendable, Hashable {
    /// The command name followed by its arguments.
    public var arguments: [[UInt8]]

    /// Creates a command from a name and any convertible arguments.
    public init(_ name: String, _ arguments: any RedisArgumentConvertible...) {
        self.arguments = [Array(name.utf8)] + arguments.map(\.redisArgument)
    }

    /// Creates a command from a name and an array of arguments.
    public init(_ name: String, arguments: [any RedisArgumentConvertible]) {
        self.arguments = [Array(name.utf8)] + arguments.map(\.redisArgument)
    }

    /// Creates a command from raw argument bytes (the first element is the command name).
    public init(rawArguments: [[UInt8]]) {
        self.arguments = rawArguments
    }

    /// The command name, for logs and errors (never the arguments, which may hold secrets).
    public var name: String { String(decoding: arguments.first ?? [], as: UTF8.self) }
}
