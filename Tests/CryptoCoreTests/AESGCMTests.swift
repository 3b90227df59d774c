import Testing

@testable import CryptoCore

/// One AES-256-GCM known-answer vector (hex fields).
struct GCMVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: String
    let nonce: String
    let plaintext: String
    let aad: String
    let ciphertext: String
    let tag: String
    var testDescription: String { name }
}

@Suite struct AESGCMTests {
    /// NIST CAVP gcmEncryptExtIV256.rsp (Count 0 with 128-bit AAD) and the GCM spec's AES-256 cases 13, 14 and 16,
    /// which NIST's GCM validation uses too.
    static let vectors: [GCMVector] = [
        GCMVector(
            name: "CAVP gcmEncryptExtIV256 PT128 AAD128 #0",
            key: "92e11dcdaa866f5ce790fd24501f92509aacf4cb8b1339d50c9c1240935dd08b", nonce: "ac93a1a6145299bde902f21a",
            plaintext: "2d71bcfa914e4ac045b2aa60955fad24", aad: "1e0889016f67601c8ebea4943bc23ad6",
            ciphertext: "8995ae2e6df3dbf96fac7b7137bae67f", tag: "eca5aa77d51d4a0a14d9c51e1da474ab"),
        GCMVector(
            name: "GCM test case 13 (empty)", key: String(repeating: "0", count: 64),
            nonce: String(repeating: "0", count: 24), plaintext: "", aad: "", ciphertext: "",
            tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        GCMVector(
            name: "GCM test case 14", key: String(repeating: "0", count: 64), nonce: String(repeating: "0", count: 24),
            plaintext: String(repeating: "0", count: 32), aad: "", ciphertext: "cea7403d4d606b6e074ec5d3baf39d18",
            tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        GCMVector(
            name: "GCM test case 16 (AAD)",
            key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", nonce: "cafebabefacedbaddecaf888",
            plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    @Test("known-answer vectors seal and open", arguments: vectors)
    func knownAnswer(_ vector: GCMVector) throws {
        let key = try SymmetricKey(bytes: #require(Hex.decode(vector.key)))
        let nonce = try #require(Hex.decode(vector.nonce))
        let plaintext = try #require(Hex.decode(vector.plaintext))
        let aad = try #require(Hex.decode(vector.aad))
        let sealed = try AESGCM.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        #expect(Hex.encode(sealed) == vector.nonce + vector.ciphertext + vector.tag)
        #expect(try AESGCM.open(sealed, using: key, authenticating: aad) == plaintext)
    }

    @Test("random-nonce round trip, and two seals of one plaintext differ")
    func roundTrip() throws {
        let key = try SymmetricKey.generate()
        let plaintext = Array("IGQVJ-long-lived-token".utf8)
        let aad = Array("tenant:1/instagram.access_token".utf8)
        let first = try AESGCM.seal(plaintext, using: key, authenticating: aad)
        let second = try AESGCM.seal(plaintext, using: key, authenticating: aad)
        #expect(first.count == plaintext.count + AESGCM.overhead)
        #expect(first != second)
        #expect(try AESGCM.open(first, using: key, authenticating: aad) == plaintext)
        #expect(try AESGCM.open(second, using: key, authenticating: aad) == plaintext)
    }

    @Test("flipping any byte of nonce, ciphertext or tag fails to open")
    func tamperEveryByte() throws {
        let key = try SymmetricKey.generate()
        let aad = Array("tenant:7/field".utf8)
        let sealed = try AESGCM.seal(Array("secret token".utf8), using: key, authenticating: aad)
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x01
            let error = #expect(throws: CryptoError.self) { try AESGCM.open(tampered, using: key, authenticating: aad) }
            #expect(error?.code == .authenticationFailed, "byte \(index)")
        }
    }

    @Test("a different AAD, a different key, or a truncated message fails")
    func wrongContext() throws {
        let key = try SymmetricKey.generate()
        let sealed = try AESGCM.seal(Array("x".utf8), using: key, authenticating: Array("tenant:1".utf8))
        let wrongAAD = #expect(throws: CryptoError.self) {
            try AESGCM.open(sealed, using: key, authenticating: Array("tenant:2".utf8))
        }
        #expect(wrongAAD?.code == .authenticationFailed)
        let missingAAD = #expect(throws: CryptoError.self) { try AESGCM.open(sealed, using: key) }
        #expect(missingAAD?.code == .authenticationFailed)
        let otherKey = try SymmetricKey.generate()
        let wrongKey = #expect(throws: CryptoError.self) {
            try AESGCM.open(sealed, using: otherKey, authenticating: Array("tenant:1".utf8))
        }
        #expect(wrongKey?.code == .authenticationFailed)
        let short = #expect(throws: CryptoError.self) {
            try AESGCM.open(Array(sealed.prefix(20)), using: key, authenticating: Array("tenant:1".utf8))
        }
        #expect(short?.code == .invalidInput)
    }
}
