import Foundation

/// A jsonb value: its JSON text as UTF-8 bytes, with helpers to encode and decode `Codable` values.
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    /// The JSON text as UTF-8.
    public var bytes: [UInt8]

    /// Wraps JSON text that is already encoded.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Encodes a value with `JSONEncoder` (sorted keys).
    /// - Throws: the encoder's error.
    public init<T: Encodable>(encoding value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.bytes = Array(try encoder.encode(value))
    }

    /// Decodes the JSON into `type`.
    /// - Throws: ``PostgresError/Code/decodingFailed`` when the JSON does not match.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw PostgresError(.decodingFailed, message: "jsonb does not decode as \(T.self)")
        }
    }

    /// Sent as jsonb text.
    public var postgresBind: PostgresBind { PostgresBind(typeOID: PostgresOID.jsonb, format: 0, bytes: bytes) }

    /// Decodes json or jsonb.
    public static func postgresDecode(_ bytes: [UInt8], typeOID: UInt32) throws -> PostgresJSON {
        switch typeOID {
        case PostgresOID.jsonb: return PostgresJSON(bytes: Array(bytes.dropFirst()))
        case PostgresOID.json, PostgresOID.text: return PostgresJSON(bytes: bytes)
        default: throw mismatch(PostgresJSON.self, typeOID)
        }
    }
}
