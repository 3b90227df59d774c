import Dispatch
import Foundation

/// Resolves a host name to its numeric addresses, off Swift's cooperative pool (the system resolver blocks).
///
/// Tests inject a fixed table: `HostResolver { name in name == "intranet.example" ? ["10.0.0.7"] : [] }`.
public struct HostResolver: Sendable {
    /// Returns the numeric addresses of a host name (empty when it does not resolve).
    public typealias Lookup = @Sendable (String) async -> [String]

    private let lookup: Lookup

    /// Creates a resolver from a lookup function.
    /// - Parameter lookup: the lookup.
    public init(_ lookup: @escaping Lookup) { self.lookup = lookup }

    /// The system resolver (`getaddrinfo` through Foundation's `Host`), run on a Dispatch thread.
    public static let system = HostResolver { name in
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Host(name: name).addresses) }
        }
    }

    /// The numeric addresses of `name`.
    /// - Parameter name: a host name or numeric address.
    /// - Returns: the addresses, possibly empty.
    public func addresses(of name: String) async -> [String] { await lookup(name) }
}
