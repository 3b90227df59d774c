import Testing

@testable import CryptoCore

@Suite struct HMACSHA256Tests {
    /// RFC 4231 test cases 1-4, 6 and 7 (case 5 is a truncated output): (key hex, data, expected hex).
    static let vectors: [(String, [UInt8], String)] = [
        (
            String(repeating: "0b", count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            "4a656665", Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            String(repeating: "aa", count: 20), [UInt8](repeating: 0xdd, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            "0102030405060708090a0b0c0d0e0f10111213141516171819", [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            String(repeating: "aa", count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            String(repeating: "aa", count: 131),
            Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test("RFC 4231 vectors", arguments: vectors.indices)
    func rfc4231(_ index: Int) throws {
        let (keyHex, data, expected) = Self.vectors[index]
        let key = try #require(Hex.decode(keyHex))
        let mac = try HMACSHA256.authenticationCode(for: data, using: key)
        #expect(Hex.encode(mac) == expected)
        #expect(HMACSHA256.isValidSignature(hex: expected, for: data, using: key))
        #expect(HMACSHA256.isValidSignature(hex: expected.uppercased(), for: data, using: key))
    }

    @Test("webhook-style verification rejects wrong body, key, length and hex")
    func verification() throws {
        let secret = Array("app-secret".utf8)
        let body = Array(#"{"object":"instagram","entry":[]}"#.utf8)
        let signature = Hex.encode(try HMACSHA256.authenticationCode(for: body, using: secret))
        #expect(HMACSHA256.isValidSignature(hex: signature, for: body, using: secret))
        var changed = body
        changed[changed.count - 2] ^= 0x20
        #expect(!HMACSHA256.isValidSignature(hex: signature, for: changed, using: secret))
        #expect(!HMACSHA256.isValidSignature(hex: signature, for: body, using: Array("other".utf8)))
        #expect(!HMACSHA256.isValidSignature(hex: signature.dropLast(2), for: body, using: secret))
        #expect(!HMACSHA256.isValidSignature(hex: "zz" + signature.dropFirst(2), for: body, using: secret))
        #expect(!HMACSHA256.isValidSignature(hex: "", for: body, using: secret))
    }

    @Test("empty key and empty message are allowed")
    func empties() throws {
        let mac = try HMACSHA256.authenticationCode(for: [], using: [])
        #expect(Hex.encode(mac) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}
