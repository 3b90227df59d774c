internal import Foundation

/// Reads a JSON payload's top-level scalar fields as text, for ``PayloadTemplate``.
///
/// Strings are used as is, integers without a fraction, other numbers in their shortest form, booleans
/// as `true`/`false`. `null`, objects and arrays are left out (a template that needs them fails).
enum PayloadFields {
    private enum Value: Decodable {
        case text(String)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .other
            } else if let value = try? container.decode(Bool.self) {
                self = .text(value ? "true" : "false")
            } else if let value = try? container.decode(Int64.self) {
                self = .text(String(value))
            } else if let value = try? container.decode(Double.self) {
                self = .text(String(value))
            } else if let value = try? container.decode(String.self) {
                self = .text(value)
            } else {
                self = .other
            }
        }
    }

    /// Decodes the payload's top-level fields.
    /// - Throws: ``JobError/Code/payloadEncoding`` when the payload is not a JSON object.
    static func decode(_ payloadJSON: [UInt8], context: String) throws -> [String: String] {
        let object: [String: Value]
        do {
            object = try JSONDecoder().decode([String: Value].self, from: Data(payloadJSON))
        } catch {
            throw JobError(.payloadEncoding, message: "\(context): the payload must be a JSON object")
        }
        return object.compactMapValues { value in
            if case .text(let text) = value { return text }
            return nil
        }
    }
}
