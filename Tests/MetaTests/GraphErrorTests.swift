import Foundation
import Testing

@testable import Meta

@Suite struct GraphErrorTests {
    /// (code, subcode, HTTP status, expected category, retryable) — META.md §3.
    static let table: [(Int?, Int?, Int, GraphErrorCategory, Bool)] = [
        (190, nil, 400, .tokenInvalid, false), (190, 463, 400, .tokenInvalid, false),
        (190, 460, 400, .tokenInvalid, false), (190, 459, 400, .tokenInvalid, false),
        (102, nil, 400, .tokenInvalid, false), (4, nil, 400, .rateLimited, true), (17, nil, 400, .rateLimited, true),
        (32, nil, 400, .rateLimited, true), (613, nil, 400, .rateLimited, true), (341, nil, 400, .rateLimited, true),
        (1, nil, 500, .transient, true), (2, nil, 500, .transient, true), (1200, nil, 400, .transient, true),
        (2, 1_545_133, 400, .transient, true), (10, 2_534_022, 400, .outsideWindow, false),
        (10, 2_018_278, 400, .outsideWindow, false), (10, nil, 400, .permission, false),
        (200, 2_534_041, 400, .permission, false), (100, 2_018_108, 400, .permission, false),
        (100, nil, 400, .invalidParameter, false), (100, 2_018_001, 400, .userUnavailable, false),
        (551, 1_545_041, 400, .userUnavailable, false), (368, nil, 400, .policyBlocked, false),
        (nil, nil, 503, .transient, true), (nil, nil, 429, .rateLimited, true), (nil, nil, 404, .unknown, false),
        (12345, nil, 400, .unknown, false),
    ]

    @Test("Graph error codes map to the META.md taxonomy", arguments: table.indices)
    func classification(_ index: Int) {
        let (code, subcode, status, expected, retryable) = Self.table[index]
        let category = GraphErrorCategory.classify(code: code, subcode: subcode, httpStatus: status)
        #expect(category == expected, "code \(String(describing: code))/\(String(describing: subcode))")
        #expect(category.isRetryable == retryable)
        #expect(category.needsReauthorization == (expected == .tokenInvalid))
    }

    @Test("a Graph error body is decoded with its subcode and trace id")
    func graphBody() throws {
        let body = #"""
            {"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException",
            "code":10,"error_subcode":2534022,"fbtrace_id":"AbC"}}
            """#
        let detail = try #require(GraphTransport.errorDetail(status: 400, body: Array(body.utf8)))
        #expect(detail.code == 10)
        #expect(detail.subcode == 2_534_022)
        #expect(detail.traceID == "AbC")
        #expect(detail.category == .outsideWindow)
        #expect(detail.description.hasPrefix("outsideWindow (10/2534022, HTTP 400)"))
    }

    @Test("the api.instagram.com OAuth error shape and bare 5xx bodies are decoded")
    func otherShapes() throws {
        let oauth = #"{"error_type":"OAuthException","code":400,"error_message":"Matching code was not found"}"#
        let detail = try #require(GraphTransport.errorDetail(status: 400, body: Array(oauth.utf8)))
        #expect(detail.type == "OAuthException")
        #expect(detail.message == "Matching code was not found")
        #expect(!detail.category.isRetryable)
        let bare = try #require(GraphTransport.errorDetail(status: 502, body: Array("Bad Gateway".utf8)))
        #expect(bare.category == .transient)
        let transientFlag = #"{"error":{"message":"x","code":9999,"is_transient":true}}"#
        #expect(GraphTransport.errorDetail(status: 400, body: Array(transientFlag.utf8))?.category == .transient)
        #expect(GraphTransport.errorDetail(status: 200, body: Array(#"{"message_id":"m"}"#.utf8)) == nil)
        let errorIn200 = #"{"error":{"message":"Invalid OAuth access token.","code":190}}"#
        #expect(GraphTransport.errorDetail(status: 200, body: Array(errorIn200.utf8))?.category == .tokenInvalid)
    }

    @Test("MetaError exposes the category; transport failures are retryable")
    func metaError() {
        let transport = MetaError(.transport, message: "send: timed out")
        #expect(transport.isRetryable)
        #expect(transport.category == .transient)
        let invalid = MetaError(.invalidRequest, message: "too long")
        #expect(!invalid.isRetryable)
        let detail = GraphErrorDetail(
            httpStatus: 400, code: 190, subcode: 463, type: "OAuthException", message: "expired", traceID: nil)
        let expired = MetaError(.graphError, message: "send", graph: detail, retryAfter: nil)
        #expect(expired.needsReauthorization)
        #expect(!expired.isRetryable)
    }

    @Test("usage headers: highest percentage and time to regain access")
    func usage() throws {
        let usage = try #require(
            GraphUsage(
                appUsage: #"{"call_count":28,"total_time":25,"total_cputime":25}"#,
                businessUseCaseUsage: #"""
                    {"1784":[{"type":"instagram","call_count":85,"total_cputime":10,"total_time":12,
                    "estimated_time_to_regain_access":3}]}
                    """#))
        #expect(usage.appPercent == 28)
        #expect(usage.businessPercent == 85)
        #expect(usage.maxPercent == 85)
        #expect(usage.isNearLimit)
        #expect(usage.estimatedTimeToRegainAccess == .seconds(180))
        #expect(GraphUsage(appUsage: nil, businessUseCaseUsage: nil) == nil)
        #expect(GraphUsage(appUsage: "not json", businessUseCaseUsage: nil) == nil)
    }

    @Test("Retry-After: seconds, or an HTTP-date in any RFC 9110 form; a past date means now; junk is ignored")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(GraphTransport.retryAfter("30", now: now) == .seconds(30))
        #expect(GraphTransport.retryAfter("Sun, 06 Nov 1994 08:50:37 GMT", now: now) == .seconds(60))
        #expect(GraphTransport.retryAfter("Sunday, 06-Nov-94 08:51:37 GMT", now: now) == .seconds(120))
        #expect(GraphTransport.retryAfter("Sun Nov  6 08:49:38 1994", now: now) == .seconds(1))
        #expect(GraphTransport.retryAfter("Sat, 05 Nov 1994 08:49:37 GMT", now: now) == .zero)
        #expect(GraphTransport.retryAfter("tomorrow", now: now) == nil)
        #expect(GraphTransport.retryAfter(nil, now: now) == nil)
    }
}
