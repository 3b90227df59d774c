/// A decrypted secret (an access token). It never prints itself: `description`, `debugDescription` and
/// `dump` show `Secret(********)`. Read it with ``revealed()`` only where it is used, and let it go.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let bytes: [UInt8]

    /// Wraps a string.
    public init(_ value: String) { bytes = Array(value.utf8) }

    /// Wraps bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The secret as a string (for an `Authorization: Bearer` header). Never log the result.
    public func revealed() -> String { String(decoding: bytes, as: UTF8.self) }

    /// The secret's bytes. Never log the result.
    public func revealedBytes() -> [UInt8] { bytes }

    /// Redacted.
    public var description: String { "Secret(********)" }
    /// Redacted.
    public var debugDescription: String { description }
    /// No children, so `dump` shows nothing.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
