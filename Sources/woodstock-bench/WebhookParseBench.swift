import ArgumentParser
import Foundation
import Meta

/// `woodstock-bench webhook-parse`: CPU cost of signature check and parse, per delivery, in one thread.
struct WebhookParseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "webhook-parse")
    @Option(help: "Deliveries to check and parse.") var iterations = 100_000

    func run() async throws {
        let body = Array(
            #"{"object":"instagram","entry":[{"id":"17841400000000001","time":1732550000000,"messaging":[{"sender":{"id":"1234567890123456"},"recipient":{"id":"17841400000000001"},"timestamp":1732549999000,"message":{"mid":"aWdfZAG1faXRlbTpJR01lc3NhZA2VJRDoxNzg0MTQwMDAwMDAwMDAwMToz","text":"Hi! Do you ship to Riga?"}}]}]}"#
                .utf8)
        let verifier = WebhookSignatureVerifier(appSecrets: ["s"])
        let header = try WebhookSignatureVerifier.signatureHeader(for: body, secret: "s")
        let clock = ContinuousClock()
        var ok = 0
        let signature = clock.measure {
            for _ in 0..<iterations where verifier.isValid(signatureHeader: header, body: body) { ok += 1 }
        }
        var events = 0
        let parse = try clock.measure {
            for _ in 0..<iterations { events += try WebhookParser.parse(body).events.count }
        }
        let micros = { (total: Duration) -> String in
            let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            return String(format: "%.1f", seconds * 1e6 / Double(iterations))
        }
        print(
            "webhook CPU per delivery, one thread: signature check \(micros(signature)) us, parse \(micros(parse)) us")
        guard ok == iterations, events == iterations else { throw ValidationError("unexpected result") }
    }
}
