import CryptoCore
import Testing

@Suite struct PasswordHashTests {
    @Test("PBKDF2-HMAC-SHA256 matches RFC 7914's test vector")
    func rfc7914Vector() throws {
        let key = try PasswordHash.pbkdf2SHA256(
            password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, byteCount: 64)
        #expect(
            Hex.encode(key)
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }

    @Test("PBKDF2-HMAC-SHA256 with 4096 iterations matches the published vector")
    func iteratedVector() throws {
        let key = try PasswordHash.pbkdf2SHA256(
            password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096, byteCount: 32)
        #expect(Hex.encode(key) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    @Test("a made hash verifies its password and refuses another")
    func roundTrip() throws {
        let stored = try PasswordHash.make(password: "correct horse", iterations: 1000)
        #expect(stored.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(PasswordHash.isWellFormed(stored))
        #expect(PasswordHash.verify(password: "correct horse", against: stored))
        #expect(!PasswordHash.verify(password: "correct horsE", against: stored))
        #expect(!PasswordHash.verify(password: "", against: stored))
        let other = try PasswordHash.make(password: "correct horse", iterations: 1000)
        #expect(other != stored, "each hash has its own salt")
    }

    @Test(
        "malformed stored hashes never verify",
        arguments: [
            "", "plain", "pbkdf2-sha256$x$AAAA$AAAA",
            "sha1$1000$c2FsdA$AAAAAAAAAAAAAAAAAAAAAA", "pbkdf2-sha256$0$c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
            "pbkdf2-sha256$1000$$AAAAAAAAAAAAAAAAAAAAAA",
        ])
    func malformed(_ stored: String) {
        #expect(!PasswordHash.isWellFormed(stored))
        #expect(!PasswordHash.verify(password: "", against: stored))
    }
}
