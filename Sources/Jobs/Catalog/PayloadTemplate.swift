/// A key template such as `{mid}` or `{account_id}:{recipient_id}`, filled from a payload's top-level fields.
///
/// Text outside braces is copied as is; `{name}` is replaced by the payload field `name`. Field names are
/// letters, digits and `_`, starting with a letter or `_`. A template without braces is a constant key.
public struct PayloadTemplate: Sendable, Hashable, CustomStringConvertible {
    private enum Part: Sendable, Hashable {
        case literal(String)
        case field(String)
    }

    private let parts: [Part]
    /// The template as written, e.g. `{mid}`.
    public let description: String

    /// The payload fields the template reads, in order of appearance.
    public var fieldNames: [String] {
        parts.compactMap { part in
            if case .field(let name) = part { return name }
            return nil
        }
    }

    /// Parses a template.
    /// - Parameter text: The template, e.g. `{tenant_id}`.
    /// - Throws: ``JobError/Code/invalidCatalog`` for an empty template, an unclosed or stray brace, or a bad
    ///   field name; the message reads as a continuation of the field name (`has an unclosed '{'`).
    public init(parsing text: String) throws {
        guard !text.isEmpty else { throw JobError(.invalidCatalog, message: "must not be empty") }
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "}" {
                throw JobError(.invalidCatalog, message: "has a '}' without '{' in '\(text)'")
            }
            guard character == "{" else {
                literal.append(character)
                index = text.index(after: index)
                continue
            }
            guard let close = text[index...].firstIndex(of: "}") else {
                throw JobError(.invalidCatalog, message: "has an unclosed '{' in '\(text)'")
            }
            let name = String(text[text.index(after: index)..<close])
            guard Self.isFieldName(name) else {
                throw JobError(
                    .invalidCatalog,
                    message: "has a bad field name '{\(name)}' in '\(text)' (letters, digits and _ only)"
                )
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.field(name))
            index = text.index(after: close)
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
        self.description = text
    }

    /// Fills the template.
    /// - Parameters:
    ///   - fields: The payload's top-level scalar fields, as text.
    ///   - context: Prefix for error messages, e.g. `process-message: unique_key`.
    /// - Returns: The rendered key.
    /// - Throws: ``JobError/Code/payloadEncoding`` naming the first missing field.
    public func render(fields: [String: String], context: String = "template") throws -> String {
        var result = ""
        for part in parts {
            switch part {
            case .literal(let text):
                result += text
            case .field(let name):
                guard let value = fields[name] else {
                    throw JobError(
                        .payloadEncoding,
                        message:
                            "\(context) \(description) needs the payload field '\(name)' (a string, number or bool)"
                    )
                }
                result += value
            }
        }
        return result
    }

    private static func isFieldName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar)
        }
    }
}
