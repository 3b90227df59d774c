/// A Graph API error as Meta sent it, plus its ``GraphErrorCategory``.
///
/// Decoded from `{"error":{"message","type","code","error_subcode","error_user_title","error_user_msg","fbtrace_id"}}`
/// (Graph API) or `{"error_type","code","error_message"}` (`api.instagram.com` OAuth). Meta's messages never echo
/// the access token; they are kept (cut to 300 characters) because operators need them.
public struct GraphErrorDetail: Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status of the response.
    public let httpStatus: Int
    /// `error.code`, e.g. 190.
    public let code: Int?
    /// `error.error_subcode`, e.g. 463.
    public let subcode: Int?
    /// `error.type`, e.g. `OAuthException`.
    public let type: String?
    /// Meta's message, at most 300 characters.
    public let message: String
    /// `error.fbtrace_id`, for Meta support.
    public let traceID: String?
    /// What the error means and whether to retry.
    public let category: GraphErrorCategory

    /// Creates a detail; ``category`` is derived with ``GraphErrorCategory/classify(code:subcode:httpStatus:isTransient:)``.
    /// - Parameters:
    ///   - httpStatus: response status.
    ///   - code: error code.
    ///   - subcode: error subcode.
    ///   - type: error type.
    ///   - message: Meta's message.
    ///   - traceID: fbtrace_id.
    ///   - isTransient: Meta's `is_transient` flag.
    public init(
        httpStatus: Int, code: Int?, subcode: Int?, type: String?, message: String, traceID: String?,
        isTransient: Bool? = nil
    ) {
        self.httpStatus = httpStatus
        self.code = code
        self.subcode = subcode
        self.type = type
        self.message = String(message.prefix(300))
        self.traceID = traceID
        category = GraphErrorCategory.classify(
            code: code, subcode: subcode, httpStatus: httpStatus, isTransient: isTransient)
    }

    /// `category (code/subcode, HTTP status): message`.
    public var description: String {
        let codes = [code, subcode].compactMap { $0.map(String.init) }.joined(separator: "/")
        return "\(category) (\(codes.isEmpty ? "no code" : codes), HTTP \(httpStatus)): \(message)"
    }
}
