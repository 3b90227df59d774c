/// Redis Cluster's key → hash slot function: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384.
///
/// A hash tag is the part between the first `{` and the next `}`, when that part is not empty, so
/// `woodstock:jobs:{mail}:ready` and `woodstock:jobs:{mail}:running` land in the same slot.
///
/// ```swift
/// RedisClusterSlot.slot(for: "123456789")      // 12739 (CRC16 0x31C3)
/// RedisClusterSlot.slot(for: "{user1000}.following") == RedisClusterSlot.slot(for: "{user1000}.followers")
/// ```
public enum RedisClusterSlot {
    /// The number of hash slots in a Redis Cluster.
    public static let count = 16_384

    /// The slot of a key given as text.
    /// - Returns: A slot in `0..<16384`.
    public static func slot(for key: String) -> Int { slot(for: Array(key.utf8)) }

    /// The slot of a key given as bytes.
    /// - Returns: A slot in `0..<16384`.
    public static func slot(for key: [UInt8]) -> Int {
        key.withUnsafeBufferPointer { Int(crc16(hashTag(of: $0)) & 0x3FFF) }
    }

    /// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection, no final XOR.
    /// - Returns: The checksum (`"123456789"` → `0x31C3`).
    public static func crc16<C: Collection<UInt8>>(_ bytes: C) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes { crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)] }
        return crc
    }

    private static func hashTag(of key: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return key[...] }
        guard let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 else {
            return key[...]
        }
        return key[(open + 1)..<close]
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
