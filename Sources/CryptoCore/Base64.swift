/// Base64 encoding and decoding (RFC 4648): the standard alphabet with padding, and the URL-safe alphabet
/// (`-` and `_`) without padding, as used in OAuth `state` values and tokens in URLs.
public enum Base64 {
    private static let standardAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes with the standard alphabet and `=` padding.
    /// - Parameter bytes: the bytes to encode.
    /// - Returns: standard base64 text.
    public static func encode(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: standardAlphabet, padding: true)
    }

    /// Encodes with the URL-safe alphabet and no padding (base64url).
    /// - Parameter bytes: the bytes to encode.
    /// - Returns: base64url text, safe in URLs and cookies.
    public static func encodeURLSafe(_ bytes: [UInt8]) -> String {
        encode(bytes, alphabet: urlAlphabet, padding: false)
    }

    /// Decodes standard base64; padding is optional, whitespace is not allowed.
    /// - Parameter text: the base64 text.
    /// - Returns: the bytes, or `nil` for a character outside the alphabet or an impossible length.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(text, plus: UInt8(ascii: "+"), slash: UInt8(ascii: "/"))
    }

    /// Decodes base64url (`-`, `_`); padding is optional.
    /// - Parameter text: the base64url text.
    /// - Returns: the bytes, or `nil` for a character outside the alphabet or an impossible length.
    public static func decodeURLSafe(_ text: some StringProtocol) -> [UInt8]? {
        decode(text, plus: UInt8(ascii: "-"), slash: UInt8(ascii: "_"))
    }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], padding: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(alphabet[Int(value >> 6 & 63)])
            out.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var value = UInt32(bytes[index]) << 16
            if rest == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            if rest == 2 { out.append(alphabet[Int(value >> 6 & 63)]) }
            if padding { out.append(contentsOf: Array(repeating: UInt8(ascii: "="), count: 3 - rest)) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func decode(_ text: some StringProtocol, plus: UInt8, slash: UInt8) -> [UInt8]? {
        var chars = Array(text.utf8)
        while chars.last == UInt8(ascii: "=") { chars.removeLast() }
        guard chars.count % 4 != 1, Array(text.utf8).count - chars.count <= 2 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for char in chars {
            guard let value = sextet(char, plus: plus, slash: slash) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return out
    }

    private static func sextet(_ char: UInt8, plus: UInt8, slash: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): char - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): char - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0") + 52
        case plus: 62
        case slash: 63
        default: nil
        }
    }
}
