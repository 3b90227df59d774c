import Foundation
import Testing
import Vault

@Suite struct MasterKeyTests {
    static let hexKey = String(repeating: "ab", count: 32)

    @Test("valid hex, base64 and key files are accepted")
    func valid() throws {
        let hex = try MasterKey(parsing: Self.hexKey)
        let base64 = try MasterKey(parsing: Data(repeating: 0xAB, count: 32).base64EncodedString())
        #expect(hex.id == base64.id)
        let path = NSTemporaryDirectory() + "woodstock-master-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0xAB, count: 32))
        #expect(try MasterKey(contentsOfFile: path).id == hex.id)
        _ = FileManager.default.createFile(atPath: path, contents: Data((Self.hexKey + "\n").utf8))
        #expect(try MasterKey(contentsOfFile: path).id == hex.id)
    }

    @Test(
        "missing, short and garbled keys are refused with a message naming the variable, never the value",
        arguments: [
            (nil, "missingMasterKey"), ("", "missingMasterKey"), ("   \n", "missingMasterKey"),
            ("c2hvcnQta2V5LXNlY3JldA==", "invalidMasterKey"), ("not a key at all!!", "invalidMasterKey"),
            (String(repeating: "zz", count: 32), "invalidMasterKey"),
            (String(repeating: "ab", count: 31), "invalidMasterKey"),
        ] as [(String?, String)])
    func invalid(_ text: String?, _ code: String) {
        do {
            _ = try MasterKey(parsing: text)
            Issue.record("accepted an invalid master key")
        } catch let error as VaultError {
            #expect(error.code.description == code)
            #expect(error.description.contains("WOODSTOCK_MASTER_KEY"))
            if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                #expect(!error.description.contains(text))
            }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("an unreadable key file names WOODSTOCK_MASTER_KEY_FILE")
    func missingFile() {
        #expect {
            _ = try MasterKey(contentsOfFile: "/nonexistent/\(UUID())")
        } throws: { error in
            (error as? VaultError)?.description.contains("WOODSTOCK_MASTER_KEY_FILE") == true
        }
    }
}
