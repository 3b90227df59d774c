/// A secret setting (app secret, API key, master key) that never prints itself.
///
/// `description` and `debugDescription` are always `********`; call ``revealed()`` only where
/// the value is handed to the code that uses it.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    /// Wraps a secret value.
    public init(_ value: String) { self.value = value }

    /// The secret itself; the name makes every use easy to find in review.
    public func revealed() -> String { value }

    /// Always `********`.
    public var description: String { "********" }
    /// Always `********`.
    public var debugDescription: String { "********" }
}
