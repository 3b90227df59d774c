import HTTP
import Logging
import TestSupport
import Testing

@Suite struct SMTPTests {
    let logger = Logger(label: "test.smtp")

    @Test("a notice reaches the SMTP sink with envelope, headers and a UTF-8 body")
    func send() async throws {
        try await TestSMTPSink.withSink { sink in
            let client = try HTTPClient(logger: logger)
            let message = MailMessage(
                from: "noreply@woodstock.test", fromName: "Woodstock", to: ["owner@shop.test", "ops@shop.test"],
                subject: "Usage at 80 % — Größe", body: "Hello,\nyou used 80 % of your messages.\n.\nGrüße")
            try await client.sendMail(message, using: SMTPConfiguration(url: sink.url, security: .none))
            let received = try sink.messages()
            #expect(received.count == 1)
            let first = try #require(received.first)
            #expect(first.mail_from == "<noreply@woodstock.test>")
            #expect(first.rcpt_tos == ["<owner@shop.test>", "<ops@shop.test>"])
            #expect(first.data.contains("Subject: =?UTF-8?B?"))
            #expect(first.data.contains("To: owner@shop.test, ops@shop.test"))
            #expect(first.data.contains("Content-Transfer-Encoding: base64"))
            await client.shutdown()
        }
    }

    @Test("requireTLS refuses a server without STARTTLS; bad addresses are rejected before connecting")
    func security() async throws {
        try await TestSMTPSink.withSink { sink in
            let client = try HTTPClient(logger: logger)
            let message = MailMessage(from: "a@b.test", to: ["c@d.test"], subject: "s", body: "b")
            let config = SMTPConfiguration(url: sink.url, username: "u", password: "hunter2")
            #expect(!config.description.contains("hunter2"))
            let tls = await #expect(throws: HTTPError.self) { try await client.sendMail(message, using: config) }
            #expect(tls?.code == .transport)
            #expect(tls?.message?.contains("hunter2") == false)
            #expect(try sink.messages().isEmpty)
            var injected = message
            injected.to = ["c@d.test>\r\nRCPT TO:<x@y.test"]
            let bad = await #expect(throws: HTTPError.self) {
                try await client.sendMail(injected, using: SMTPConfiguration(url: sink.url, security: .none))
            }
            #expect(bad?.code == .invalidRequest)
            var subject = message
            subject.subject = "hi\r\nBcc: x@y.test"
            let badSubject = await #expect(throws: HTTPError.self) {
                try await client.sendMail(subject, using: SMTPConfiguration(url: sink.url, security: .none))
            }
            #expect(badSubject?.code == .invalidRequest)
            await client.shutdown()
        }
    }
}
