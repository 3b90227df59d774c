import Testing

@testable import CryptoCore

@Suite struct EncodingTests {
    @Test("hex round trip of every byte value; odd length and bad digits rejected")
    func hex() throws {
        let all = (0...255).map { UInt8($0) }
        let text = Hex.encode(all)
        #expect(text.count == 512)
        #expect(text.hasPrefix("000102"))
        #expect(Hex.decode(text) == all)
        #expect(Hex.decode("ABCDEF") == [0xab, 0xcd, 0xef])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("") == [])
    }

    @Test(
        "RFC 4648 base64 and base64url test vectors",
        arguments: [
            ("", "", ""), ("f", "Zg==", "Zg"), ("fo", "Zm8=", "Zm8"), ("foo", "Zm9v", "Zm9v"),
            ("foob", "Zm9vYg==", "Zm9vYg"), ("fooba", "Zm9vYmE=", "Zm9vYmE"), ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
        ])
    func rfc4648(_ plain: String, _ standard: String, _ url: String) {
        #expect(Base64.encode(Array(plain.utf8)) == standard)
        #expect(Base64.encodeURLSafe(Array(plain.utf8)) == url)
        #expect(Base64.decode(standard) == Array(plain.utf8))
        #expect(Base64.decodeURLSafe(url) == Array(plain.utf8))
    }

    @Test("base64url uses - and _, round-trips random data, rejects bad input")
    func urlSafe() throws {
        #expect(Base64.encodeURLSafe([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64.encode([0xfb, 0xff, 0xbf]) == "+/+/")
        for length in 0..<40 {
            let bytes = try SecureRandom.bytes(count: length)
            #expect(Base64.decodeURLSafe(Base64.encodeURLSafe(bytes)) == bytes)
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.decodeURLSafe("+/+/") == nil)
        #expect(Base64.decode("-_-_") == nil)
        #expect(Base64.decode("Z") == nil)
        #expect(Base64.decode("Zg===") == nil)
    }

    @Test("random bytes differ between calls and have the asked length")
    func random() throws {
        let a = try SecureRandom.bytes(count: 32)
        let b = try SecureRandom.bytes(count: 32)
        #expect(a.count == 32)
        #expect(a != b)
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
    }

    @Test("constant-time compare checks length and content")
    func constantTime() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([UInt8](), []))
        #expect(ConstantTime.equals("token", "token"))
        #expect(!ConstantTime.equals("token", "tokem"))
    }

    @Test("a key never shows its bytes and rejects wrong lengths")
    func keyRedaction() throws {
        let key = try SymmetricKey(bytes: [UInt8](repeating: 0x41, count: 32))
        #expect(key.description == "SymmetricKey(<redacted>)")
        #expect(!"\(key)".contains("41"))
        #expect(!String(reflecting: key).contains("AAAA"))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("65"))
        #expect(key == (try SymmetricKey(bytes: [UInt8](repeating: 0x41, count: 32))))
        #expect(key != (try SymmetricKey.generate()))
        let error = #expect(throws: CryptoError.self) { try SymmetricKey(bytes: [UInt8](repeating: 0, count: 16)) }
        #expect(error?.code == .invalidKey)
    }
}
