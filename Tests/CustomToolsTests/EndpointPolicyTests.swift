import CustomTools
import Testing

@Suite struct EndpointPolicyTests {
    /// A resolver with a fixed table instead of DNS.
    static let table = HostResolver { name in
        switch name {
        case "tools.example.com": ["93.184.216.34"]
        case "metadata.example.com": ["169.254.169.254"]
        case "intranet.example.com": ["10.1.2.3"]
        case "mixed.example.com": ["93.184.216.34", "192.168.1.5"]
        case "v6private.example.com": ["fd12:3456::1"]
        case "mapped.example.com": ["::ffff:127.0.0.1"]
        case "localhost": ["127.0.0.1"]
        default: []
        }
    }

    @Test(
        "address kinds",
        arguments: [
            ("93.184.216.34", DestinationAddress.Kind.global), ("8.8.8.8", .global), ("127.0.0.1", .loopback),
            ("127.9.9.9", .loopback), ("10.0.0.1", .privateNetwork), ("172.16.0.1", .privateNetwork),
            ("172.32.0.1", .global), ("192.168.0.1", .privateNetwork), ("100.64.0.1", .privateNetwork),
            ("169.254.169.254", .linkLocal), ("0.0.0.0", .reserved), ("224.0.0.1", .reserved),
            ("255.255.255.255", .reserved), ("192.0.2.1", .reserved), ("::1", .loopback), ("::", .reserved),
            ("fe80::1", .linkLocal), ("fd00::1", .privateNetwork), ("fc00::1", .privateNetwork),
            ("ff02::1", .reserved), ("2001:db8::1", .reserved), ("2606:4700:4700::1111", .global),
            ("::ffff:10.0.0.1", .privateNetwork), ("::ffff:8.8.8.8", .global), ("64:ff9b::a9fe:a9fe", .linkLocal),
            ("[::1]", .loopback), ("fe80::1%eth0", .linkLocal),
        ])
    func kinds(_ text: String, _ kind: DestinationAddress.Kind) throws {
        let address = try #require(DestinationAddress(text))
        #expect(address.kind == kind)
    }

    @Test("not addresses", arguments: ["example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1::2::3", "12345::1", ""])
    func notAddresses(_ text: String) {
        #expect(DestinationAddress(text) == nil)
    }

    @Test("a public https endpoint is allowed")
    func publicHTTPS() async throws {
        let policy = EndpointPolicy(settings: CustomToolSettings(), resolver: Self.table)
        let addresses = try await policy.check("https://tools.example.com/hooks/order?x=1")
        #expect(addresses.map(\.description) == ["93.184.216.34"])
    }

    @Test(
        "SSRF: refused by default",
        arguments: [
            "http://tools.example.com/hook", "ftp://tools.example.com/hook", "https://127.0.0.1/hook",
            "https://localhost/hook", "https://[::1]/hook", "https://10.0.0.8/hook",
            "https://169.254.169.254/latest/meta-data", "https://metadata.example.com/x",
            "https://intranet.example.com/x", "https://mixed.example.com/x", "https://v6private.example.com/x",
            "https://mapped.example.com/x", "https://0.0.0.0/x", "https://[fe80::1]/x",
        ])
    func refusedByDefault(_ url: String) async throws {
        let policy = EndpointPolicy(settings: CustomToolSettings(), resolver: Self.table)
        let error = await #expect(throws: CustomToolsError.self) { try await policy.check(url) }
        #expect(error?.code == .destinationRefused)
        #expect(error?.description.contains("example.com") == false)
    }

    @Test("user info, a missing host and an unresolvable host are refused")
    func malformed() async throws {
        let policy = EndpointPolicy(settings: CustomToolSettings(), resolver: Self.table)
        let userInfo = await #expect(throws: CustomToolsError.self) {
            try await policy.check("https://user:pw@tools.example.com/x")
        }
        #expect(userInfo?.code == .invalidDefinition)
        #expect(userInfo?.description.contains("pw") == false)
        let noHost = await #expect(throws: CustomToolsError.self) { try await policy.check("https:///x") }
        #expect(noHost?.code == .invalidDefinition)
        let unknown = await #expect(throws: CustomToolsError.self) {
            try await policy.check("https://nowhere.example.com/x")
        }
        #expect(unknown?.code == .unresolvable)
    }

    @Test("loopback and private networks only when allowed; plain http only to loopback with both flags")
    func allowances() async throws {
        let loopback = EndpointPolicy(settings: CustomToolSettings(allowsLoopback: true), resolver: Self.table)
        try await loopback.check("https://127.0.0.1:8443/x")
        try await loopback.check("https://localhost/x")
        await #expect(throws: CustomToolsError.self) { try await loopback.check("https://10.0.0.1/x") }
        await #expect(throws: CustomToolsError.self) { try await loopback.check("http://127.0.0.1/x") }

        let privateNets = EndpointPolicy(
            settings: CustomToolSettings(allowsPrivateNetworks: true), resolver: Self.table)
        try await privateNets.check("https://intranet.example.com/x")
        try await privateNets.check("https://169.254.169.254/x")
        await #expect(throws: CustomToolsError.self) { try await privateNets.check("https://127.0.0.1/x") }
        await #expect(throws: CustomToolsError.self) { try await privateNets.check("https://0.0.0.0/x") }

        let plain = EndpointPolicy(
            settings: CustomToolSettings(allowsLoopback: true, allowsPlainHTTPOnLoopback: true), resolver: Self.table)
        try await plain.check("http://127.0.0.1:9000/x")
        try await plain.check("http://localhost:9000/x")
        let remote = await #expect(throws: CustomToolsError.self) {
            try await plain.check("http://tools.example.com/x")
        }
        #expect(remote?.code == .destinationRefused)
    }
}
