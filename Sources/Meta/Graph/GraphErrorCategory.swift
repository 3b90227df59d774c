/// What a Graph API error means for the caller (META.md §3), and whether retrying can help.
///
/// Branch on this, not on HTTP status: Meta answers most errors with 400.
public struct GraphErrorCategory: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable {
        case tokenInvalid, rateLimited, transient, outsideWindow, permission, invalidParameter, userUnavailable
        case policyBlocked, unknown
    }

    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// 190 (any subcode: expired, password changed, app removed, checkpoint), 102, 2500: the token is unusable.
    /// No retry; refresh if allowed, else mark the integration `needs_reauth`.
    public static var tokenInvalid: Self { .init(.tokenInvalid) }
    /// 4, 17, 32, 613, 341, 80001-80014, HTTP 429: a rate limit. Retry after a backoff (minutes).
    public static var rateLimited: Self { .init(.rateLimited) }
    /// 1, 2, 1200, subcode 1545133, `is_transient`, HTTP 5xx, timeouts and connection errors. Retry with backoff.
    public static var transient: Self { .init(.transient) }
    /// 10 with subcode 2534022 (Instagram) or 2018278 (Messenger): outside the messaging window. No retry.
    public static var outsideWindow: Self { .init(.outsideWindow) }
    /// Other 10, 200-299, subcode 2018108: a permission is missing or was removed. No retry.
    public static var permission: Self { .init(.permission) }
    /// 100 and other request errors: fix the request. No retry.
    public static var invalidParameter: Self { .init(.invalidParameter) }
    /// 551, subcodes 1545041, 2534014, 2018001: the person can't be reached. No retry; mark the contact.
    public static var userUnavailable: Self { .init(.userUnavailable) }
    /// 368: temporarily blocked for a policy violation. Stop and alert; no retry.
    public static var policyBlocked: Self { .init(.policyBlocked) }
    /// Anything else. Not retried.
    public static var unknown: Self { .init(.unknown) }

    /// Whether retrying the same call later can succeed (`rateLimited` and `transient`).
    public var isRetryable: Bool { base == .rateLimited || base == .transient }

    /// Whether the tenant must connect the account again (`tokenInvalid`).
    public var needsReauthorization: Bool { base == .tokenInvalid }

    /// The category's name, e.g. `rateLimited`.
    public var description: String { base.rawValue }

    /// Classifies a Graph API error.
    /// - Parameters:
    ///   - code: `error.code`, if the body had one.
    ///   - subcode: `error.error_subcode`, if any.
    ///   - httpStatus: the response status.
    ///   - isTransient: `error.is_transient`, if present.
    /// - Returns: the category.
    public static func classify(code: Int?, subcode: Int?, httpStatus: Int, isTransient: Bool? = nil) -> Self {
        if let subcode {
            switch subcode {
            case 2_534_022, 2_018_278: return .outsideWindow
            case 1_545_041, 2_534_014, 2_018_001: return .userUnavailable
            case 2_018_108, 2_534_041: return .permission
            case 1_545_133: return .transient
            default: break
            }
        }
        if let code {
            switch code {
            case 190, 102, 2500: return .tokenInvalid
            case 4, 17, 32, 341, 613, 80001...80014: return .rateLimited
            case 1, 2, 1200: return .transient
            case 10, 200...299: return .permission
            case 368: return .policyBlocked
            case 551: return .userUnavailable
            case 100: return .invalidParameter
            default: break
            }
        }
        if httpStatus == 429 { return .rateLimited }
        if httpStatus >= 500 || isTransient == true { return .transient }
        return .unknown
    }
}
