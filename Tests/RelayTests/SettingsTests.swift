import Testing

@testable import Relay

@Suite struct SettingsTests {
    @Test("defaults point at the real hosts")
    func defaults() throws {
        let settings = try Settings(environment: [:])
        #expect(settings.graphInstagramURL == "https://graph.instagram.com")
        #expect(settings.graphFacebookURL == "https://graph.facebook.com")
        #expect(settings.instagramAPIURL == "https://api.instagram.com")
        #expect(settings.llmBaseURL == "https://api.openai.com")
        #expect(settings.port == 8080)
        #expect(settings.redisSharesConnection)
        #expect(try Settings(environment: ["WOODSTOCK_REDIS_SHARED_CONNECTION": "off"]).redisSharesConnection == false)
    }

    @Test("flags override the environment")
    func flagsWin() throws {
        let settings = try Settings(
            environment: ["REDIS_URL": "redis://env:1/0"], overrides: ["REDIS_URL": "redis://flag:2/0"])
        #expect(settings.redisURL == "redis://flag:2/0")
    }

    @Test(
        "an invalid value names its variable",
        arguments: [
            ("LOG_LEVEL", "loud"), ("LOG_FORMAT", "xml"), ("WOODSTOCK_PORT", "99999"), ("WOODSTOCK_CONCURRENCY", "0"),
            ("WOODSTOCK_REDIS_SHARED_CONNECTION", "maybe"),
        ]
    )
    func invalidValue(_ variable: String, _ value: String) {
        #expect {
            try Settings(environment: [variable: value])
        } throws: { error in
            (error as? SettingsError)?.variable == variable
        }
    }

    @Test("a missing required secret names its variable")
    func missingSecret() throws {
        let settings = try Settings(environment: [:])
        #expect(throws: SettingsError.self) { try settings.require(settings.masterKey, "WOODSTOCK_MASTER_KEY") }
    }

    @Test("description never prints secrets or URL passwords")
    func redacted() throws {
        let settings = try Settings(environment: [
            "WOODSTOCK_MASTER_KEY": "master-key-value", "META_APP_SECRET": "app-secret-value",
            "LLM_API_KEY": "sk-llm-key", "REDIS_URL": "redis://:redis-pass@127.0.0.1:6379/0",
            "DATABASE_URL": "postgres://u:pg-pass@127.0.0.1/db",
        ])
        let text = settings.description + "\(settings.masterKey as Any)"
        for secret in ["master-key-value", "app-secret-value", "sk-llm-key", "redis-pass", "pg-pass"] {
            #expect(!text.contains(secret))
        }
        #expect(text.contains("postgres://u:********@127.0.0.1/db"))
    }
}
