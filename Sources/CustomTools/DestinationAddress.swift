import Foundation

/// An IP address a tool endpoint resolved to, and what kind of network it belongs to (for the SSRF check).
///
/// Parses the numeric forms a resolver returns (`203.0.113.7`, `2001:db8::1`, `::ffff:10.0.0.1`), in pure
/// Swift. IPv4-mapped and NAT64 (`64:ff9b::/96`) IPv6 addresses are classified by their embedded IPv4 address.
public struct DestinationAddress: Sendable, Hashable, CustomStringConvertible {
    /// The kind of network an address belongs to.
    public enum Kind: String, Sendable, Hashable {
        /// A public, globally routed address.
        case global
        /// `127.0.0.0/8`, `::1`.
        case loopback
        /// RFC 1918, carrier-grade NAT `100.64.0.0/10`, IPv6 unique-local `fc00::/7` and site-local `fec0::/10`.
        case privateNetwork
        /// `169.254.0.0/16` (cloud metadata lives here), `fe80::/10`.
        case linkLocal
        /// Unspecified, multicast, broadcast, documentation and other reserved ranges: never a tool endpoint.
        case reserved
    }

    /// The address bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses a numeric IPv4 or IPv6 address (an IPv6 zone suffix `%eth0` and brackets are ignored).
    /// - Parameter text: the address text.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        if let v4 = Self.parseIPv4(text) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(text) {
            bytes = v6
        } else {
            return nil
        }
    }

    /// The kind of network.
    public var kind: Kind {
        if bytes.count == 4 { return Self.kind(ipv4: bytes) }
        let isMapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        let isNAT64 = bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]
        if isMapped || isNAT64 { return Self.kind(ipv4: Array(bytes[12...])) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) {
            return bytes[15] == 1 ? .loopback : .reserved  // ::1, and :: (unspecified)
        }
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return .reserved }  // deprecated IPv4-compatible
        switch (bytes[0], bytes[1]) {
        case (0xFF, _): return .reserved  // multicast
        case (0xFE, let second) where second & 0xC0 == 0x80: return .linkLocal  // fe80::/10
        case (0xFE, let second) where second & 0xC0 == 0xC0: return .privateNetwork  // fec0::/10
        case (let first, _) where first & 0xFE == 0xFC: return .privateNetwork  // fc00::/7
        case (0x20, 0x01) where bytes[2] == 0x0D && bytes[3] == 0xB8: return .reserved  // 2001:db8::/32
        case (0x01, 0x00) where bytes[2..<8].allSatisfy({ $0 == 0 }): return .reserved  // 100::/64 discard
        default: return bytes[0] & 0xE0 == 0x20 ? .global : .reserved  // only 2000::/3 is global unicast
        }
    }

    /// Dotted quad or compressed IPv6 text.
    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    private static func kind(ipv4 b: [UInt8]) -> Kind {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return .reserved
        case (10, _, _): return .privateNetwork
        case (100, let second, _) where second & 0xC0 == 64: return .privateNetwork
        case (127, _, _): return .loopback
        case (169, 254, _): return .linkLocal
        case (172, let second, _) where second & 0xF0 == 16: return .privateNetwork
        case (192, 0, 0), (192, 0, 2), (198, 51, 100), (203, 0, 113): return .reserved
        case (192, 168, _): return .privateNetwork
        case (198, let second, _) where second & 0xFE == 18: return .reserved  // benchmarking 198.18/15
        case (let first, _, _) where first >= 224: return .reserved  // multicast, 240/4, broadcast
        default: return .global
        }
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit), let value = UInt8(part) else {
                return nil
            }
            result.append(value)
        }
        return result
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var out: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowIPv4Tail, index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    out += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                out += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return out
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowIPv4Tail: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
            head.count + tail.count <= 14
        else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
