import Foundation
import HTTP
import Store
import TestSupport
import Testing
import Web

@Suite struct WebchatCORSTests {
    @Test("widget.js is served as JavaScript; preflight and answers carry CORS for the tenant's allowed origin only")
    func widgetAndCORS() async throws {
        try await withWebchatStack { stack in
            let widget = try await stack.request("GET", "/webchat/widget.js?tenant=x")
            #expect(widget.status == 200)
            #expect(widget.headers["Content-Type"]?.hasPrefix("application/javascript") == true)
            #expect(widget.bodyText.contains("/webchat/"))
            #expect(widget.bodyText.contains("X-Webchat-Token"))

            let tenant = try await stack.makeTenant(
                "Origin Shop", settings: ["webchat.origins": "https://shop.example, https://www.shop.example/"])
            let preflight = try await stack.request(
                "OPTIONS", "/webchat/\(tenant)/messages", origin: "https://www.shop.example")
            #expect(preflight.status == 204)
            #expect(preflight.headers["Access-Control-Allow-Origin"] == "https://www.shop.example")
            #expect(preflight.headers["Access-Control-Allow-Headers"]?.contains("X-Webchat-Token") == true)

            let visitor = try await stack.issueVisitor(tenant)
            let allowed = try await stack.post("hi", to: tenant, token: visitor.token, origin: "https://shop.example")
            #expect(allowed.status == 202)
            #expect(allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example")
            let foreign = try await stack.post("hi", to: tenant, token: visitor.token, origin: "https://evil.example")
            #expect(foreign.status == 403)
            #expect(foreign.headers["Access-Control-Allow-Origin"] == nil)

            let empty = try await stack.post("   ", to: tenant, token: visitor.token)
            #expect(empty.status == 400)
            let long = try await stack.post(String(repeating: "a", count: 2_001), to: tenant, token: visitor.token)
            #expect(long.status == 413)
        }
    }
}
