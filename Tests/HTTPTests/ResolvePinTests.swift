import Foundation
import Logging
import TestSupport
import Testing

@testable import HTTP

@Suite struct ResolvePinTests {
    @Test("a pinned request connects to the given address without resolving its host name")
    func pinnedConnect() async throws {
        try await TestHTTPServer.withServer { server in
            let client = try HTTPClient(logger: Logger(label: "test.http"))
            // ".invalid" never resolves (RFC 6761): only the pin can make this request arrive.
            let url = server.url("/status/200").replacingOccurrences(of: "127.0.0.1", with: "pinned.invalid")
            var request = HTTPRequest(url: url)
            request.resolvedAddresses = ["127.0.0.1"]
            #expect(try await client.execute(request).status == 200)
            let unpinned = await #expect(throws: HTTPError.self) {
                try await client.execute(HTTPRequest(url: url.replacingOccurrences(of: "pinned", with: "other")))
            }
            #expect(unpinned?.code == .transport)
            await client.shutdown()
        }
    }

    @Test("RESOLVE entries: host:port:addresses, IPv6 in brackets, default ports; numeric hosts and no pin give none")
    func entries() throws {
        func pin(_ url: String, _ addresses: [String]) throws -> String? {
            var request = HTTPRequest(url: url)
            request.resolvedAddresses = addresses
            return try HTTPClient.resolvePin(for: request, label: "test")
        }
        #expect(try pin("https://tools.example.com/hook", ["203.0.113.7"]) == "tools.example.com:443:203.0.113.7")
        #expect(
            try pin("http://tools.example.com:8080/x?q=1", ["203.0.113.7", "2001:db8:0:0:0:0:0:1"])
                == "tools.example.com:8080:203.0.113.7,[2001:db8:0:0:0:0:0:1]")
        #expect(
            try pin("https://tools.example.com/hook", ["::ffff:10.0.0.1"]) == "tools.example.com:443:[::ffff:10.0.0.1]")
        #expect(try pin("https://tools.example.com/hook", []) == nil)
        #expect(try pin("https://203.0.113.7/hook", ["10.0.0.1"]) == nil)
        #expect(try pin("https://[2001:db8::1]/hook", ["10.0.0.1"]) == nil)
        for junk in ["evil.example", "10.0.0.1,127.0.0.1", "", "1.2.3.4:80"] {
            let error = #expect(throws: HTTPError.self) { try pin("https://tools.example.com/", [junk]) }
            #expect(error?.code == .invalidRequest)
        }
    }
}
