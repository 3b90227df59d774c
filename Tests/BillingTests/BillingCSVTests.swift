import Foundation
import Store
import Testing

@testable import Billing

@Suite struct BillingCSVTests {
    @Test("header, sorting by numeric id, price, unlimited, quoting and formula neutralising")
    func render() throws {
        let period = try MeterPeriod(parsing: "2026-11")
        let rows = [
            BillingRow(
                tenantID: "10", name: "=HYPERLINK(\"x\")", tier: .enterprise, messagesAnswered: 5, overLimitMessages: 0,
                period: period),
            BillingRow(
                tenantID: "9", name: "Shop, \"Riga\"", tier: .starter, messagesAnswered: 1_000, overLimitMessages: 7,
                period: period),
        ]
        let text = String(decoding: BillingCSV.render(rows), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 4)
        #expect(lines[3].isEmpty)
        #expect(
            lines[0]
                == "tenant_id,tenant_name,tier,monthly_price_usd,messages_answered,message_limit,over_limit_messages,period"
        )
        #expect(lines[1] == "9,\"Shop, \"\"Riga\"\"\",starter,99.00,1000,1000,7,2026-11")
        #expect(lines[2] == "10,\"'=HYPERLINK(\"\"x\"\")\",enterprise,899.00,5,unlimited,0,2026-11")
        #expect(BillingCSV.render(rows) == BillingCSV.render(rows.reversed()))
    }
}
