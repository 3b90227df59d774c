import CustomTools
import HTTP
import Relay
import Testing

@Suite struct CustomToolSettingsTests {
    @Test("custom-tool settings: safe defaults, flags parsed, bad values name their variable")
    func parsing() throws {
        let defaults = try Settings(environment: [:]).customTools
        #expect(!defaults.allowsLoopback && !defaults.allowsPrivateNetworks && !defaults.allowsPlainHTTPOnLoopback)
        #expect(defaults.caBundlePath == nil)
        #expect(defaults.maximumTimeout == .seconds(10))

        let set = try Settings(environment: [
            "WOODSTOCK_TOOLS_ALLOW_LOOPBACK": "1", "WOODSTOCK_TOOLS_ALLOW_PRIVATE": "yes",
            "WOODSTOCK_TOOLS_ALLOW_HTTP": "on", "WOODSTOCK_TOOLS_CA_FILE": "/tmp/ca.pem",
            "WOODSTOCK_TOOLS_MAX_TIMEOUT_MS": "2500",
        ]).customTools
        #expect(set.allowsLoopback && set.allowsPrivateNetworks && set.allowsPlainHTTPOnLoopback)
        #expect(set.caBundlePath == "/tmp/ca.pem")
        #expect(set.maximumTimeout == .milliseconds(2500))
        #expect(set.defaultTimeout == .milliseconds(2500))
        #expect(set.httpConfiguration.caBundlePath == "/tmp/ca.pem")

        for (name, value) in [("WOODSTOCK_TOOLS_ALLOW_LOOPBACK", "maybe"), ("WOODSTOCK_TOOLS_MAX_TIMEOUT_MS", "50")] {
            let error = #expect(throws: SettingsError.self) { try Settings(environment: [name: value]) }
            #expect(error?.variable == name)
        }
        #expect(
            try Settings(environment: ["WOODSTOCK_TOOLS_ALLOW_LOOPBACK": "1"]).description.contains(
                "WOODSTOCK_TOOLS_ALLOW_LOOPBACK=true"))
    }
}
