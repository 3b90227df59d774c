import Foundation

/// Rate-limit usage Meta reports in `X-App-Usage` and `X-Business-Use-Case-Usage` (percent of the limit).
///
/// A missing header is not zero usage: the fields are `nil` then.
public struct GraphUsage: Sendable, Equatable {
    /// The highest of `call_count`, `total_cputime`, `total_time` in `X-App-Usage`.
    public let appPercent: Int?
    /// The highest of those fields over every entry of `X-Business-Use-Case-Usage`.
    public let businessPercent: Int?
    /// The longest `estimated_time_to_regain_access` (minutes in the header), when positive.
    public let estimatedTimeToRegainAccess: Duration?

    /// The higher of the two percentages, if either is known.
    public var maxPercent: Int? { [appPercent, businessPercent].compactMap { $0 }.max() }

    /// Whether usage reached 80 % of a limit: back off before Meta starts refusing.
    public var isNearLimit: Bool { (maxPercent ?? 0) >= 80 }

    /// Reads the usage headers; `nil` when neither is present or readable.
    /// - Parameters:
    ///   - appUsage: the `X-App-Usage` value.
    ///   - businessUseCaseUsage: the `X-Business-Use-Case-Usage` value.
    public init?(appUsage: String?, businessUseCaseUsage: String?) {
        let app = appUsage.flatMap(Self.object).map(Self.percent)
        var business: Int?
        var regain = 0
        if let root = businessUseCaseUsage.flatMap(Self.object) {
            for case let entries as [[String: Any]] in root.values {
                for entry in entries {
                    business = max(business ?? 0, Self.percent(entry))
                    regain = max(regain, Self.int(entry["estimated_time_to_regain_access"]) ?? 0)
                }
            }
        }
        guard app != nil || business != nil else { return nil }
        appPercent = app
        businessPercent = business
        estimatedTimeToRegainAccess = regain > 0 ? .seconds(regain * 60) : nil
    }

    private static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    private static func percent(_ object: [String: Any]) -> Int {
        ["call_count", "total_cputime", "total_time"].compactMap { int(object[$0]) }.max() ?? 0
    }

    private static func int(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let number = value as? Double { return Int(number) }
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String { return Int(text) }
        return nil
    }
}
