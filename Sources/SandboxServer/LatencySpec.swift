/// A response delay: fixed (`min_ms` only) or uniformly random in `min_ms...max_ms`.
///
/// JSON: `{"min_ms":1500}` or `{"min_ms":100,"max_ms":300}`; the flag form is `"1500"` or `"100-300"`.
public struct LatencySpec: Codable, Sendable, Equatable {
    /// The shortest delay, in milliseconds.
    public var minMilliseconds: Int
    /// The longest delay, in milliseconds; nil means fixed at `minMilliseconds`.
    public var maxMilliseconds: Int?

    /// Creates a fixed or ranged delay.
    public init(minMilliseconds: Int, maxMilliseconds: Int? = nil) {
        self.minMilliseconds = max(0, minMilliseconds)
        self.maxMilliseconds = maxMilliseconds.map { max(self.minMilliseconds, $0) }
    }

    /// Parses `"1500"` or `"100-300"`; returns nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let low = Int(parts[0]), low >= 0 else { return nil }
        if parts.count == 2 {
            guard let high = Int(parts[1]), high >= low else { return nil }
            self.init(minMilliseconds: low, maxMilliseconds: high)
        } else {
            self.init(minMilliseconds: low)
        }
    }

    enum CodingKeys: String, CodingKey {
        case minMilliseconds = "min_ms"
        case maxMilliseconds = "max_ms"
    }

    /// One delay drawn from the spec, in milliseconds.
    func draw() -> Int {
        guard let high = maxMilliseconds, high > minMilliseconds else { return minMilliseconds }
        return Int.random(in: minMilliseconds...high)
    }
}
