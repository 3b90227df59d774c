/// The statements one connection has prepared on the server, by SQL text and parameter types.
///
/// Used only on its connection's queue (it is a plain value inside the connection). Names are `ws_<n>`, unique
/// per connection. When the cache is full, further statements run unprepared: a long-lived connection never grows
/// without bound, and the statements an application repeats are the first it sees.
struct PostgresStatementCache {
    struct Key: Hashable {
        let sql: String
        let types: [UInt32]
    }

    /// The most statements kept; 0 prepares nothing.
    let capacity: Int
    private var names: [Key: String] = [:]
    private var counter = 0

    init(capacity: Int) { self.capacity = max(0, capacity) }

    /// The prepared name for `key`, if it was prepared on this connection.
    func name(for key: Key) -> String? { names[key] }

    /// A fresh name for `key`, or `nil` when the cache is full (run the statement unprepared).
    mutating func reserveName(for key: Key) -> String? {
        guard names.count < capacity else { return nil }
        counter += 1
        return "ws_\(counter)"
    }

    /// Records that `name` was prepared for `key`.
    mutating func store(_ name: String, for key: Key) { names[key] = name }

    /// Forgets `key` (its server-side statement failed or was deallocated).
    mutating func remove(_ key: Key) { names[key] = nil }

    /// Forgets everything (a new session has no prepared statements).
    mutating func removeAll() { names.removeAll() }
}
