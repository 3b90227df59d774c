public import Assistant
import Foundation

/// The rules a custom tool definition must follow, checked when it is added and again when it is offered.
///
/// - name: `^[a-zA-Z0-9_-]{1,64}$` (what chat completions accept), not a built-in tool's name, not starting
///   with `woodstock` (reserved for future built-ins);
/// - description: 1 to ``CustomToolSettings/maximumDescriptionLength`` characters;
/// - parameters: a JSON Schema object with `"type": "object"`, at most ``CustomToolSettings/maximumSchemaBytes``
///   as compact JSON;
/// - endpoint: see ``EndpointPolicy/checkForm(of:)``;
/// - timeout: 100 ms to ``CustomToolSettings/maximumTimeout``.
public enum CustomToolRules {
    /// The built-in tools' names (process-message's `search_products` and `handover_to_human`).
    public static let reservedNames: Set<String> = ["search_products", "handover_to_human"]

    /// Whether `name` is a valid function name that shadows no built-in tool.
    /// - Parameters:
    ///   - name: the candidate name.
    ///   - builtInNames: further names in use by built-in tools.
    /// - Returns: `nil` when valid, else the reason.
    public static func problem(withName name: String, builtInNames: [String] = []) -> String? {
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
        guard (1...64).contains(name.utf8.count), allowed else {
            return "the name must be 1-64 characters of a-z, A-Z, 0-9, _ and -"
        }
        let lower = name.lowercased()
        if reservedNames.contains(lower) || builtInNames.contains(where: { $0.lowercased() == lower })
            || lower.hasPrefix("woodstock")
        {
            return "the name \(name) is reserved for a built-in tool"
        }
        return nil
    }

    /// Validates a whole definition.
    /// - Parameters:
    ///   - name: the function name.
    ///   - description: the description.
    ///   - parametersJSON: the JSON Schema text.
    ///   - url: the endpoint URL.
    ///   - timeout: the call timeout.
    ///   - settings: the limits.
    /// - Returns: the parsed schema, re-encoded compactly.
    /// - Throws: ``CustomToolsError/Code/invalidDefinition`` or ``CustomToolsError/Code/destinationRefused``
    ///   naming the broken rule.
    @discardableResult
    public static func validate(
        name: String, description: String, parametersJSON: String, url: String, timeout: Duration,
        settings: CustomToolSettings
    ) throws -> JSONValue {
        if let problem = problem(withName: name) { throw CustomToolsError(.invalidDefinition, message: problem) }
        let trimmed = description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, description.count <= settings.maximumDescriptionLength else {
            throw CustomToolsError(
                .invalidDefinition,
                message: "the description must be 1-\(settings.maximumDescriptionLength) characters")
        }
        let schema = try parameters(parametersJSON, settings: settings)
        try EndpointPolicy(settings: settings).checkForm(of: url)
        guard timeout >= .milliseconds(100), timeout <= settings.maximumTimeout else {
            throw CustomToolsError(
                .invalidDefinition, message: "the timeout must be between 100 ms and \(settings.maximumTimeout)")
        }
        return schema
    }

    /// Parses and checks a parameters schema.
    /// - Parameters:
    ///   - text: the JSON Schema text.
    ///   - settings: the size cap.
    /// - Returns: the schema.
    /// - Throws: ``CustomToolsError/Code/invalidDefinition``.
    public static func parameters(_ text: String, settings: CustomToolSettings) throws -> JSONValue {
        let schema: JSONValue
        do {
            schema = try JSONValue.parse(text)
        } catch {
            throw CustomToolsError(.invalidDefinition, message: "the parameters are not valid JSON")
        }
        guard case .object = schema, schema["type"]?.stringValue == "object" else {
            throw CustomToolsError(
                .invalidDefinition, message: "the parameters must be a JSON Schema object with \"type\": \"object\"")
        }
        let size = schema.jsonString.utf8.count
        guard size <= settings.maximumSchemaBytes else {
            throw CustomToolsError(
                .invalidDefinition,
                message: "the parameters schema is \(size) bytes (at most \(settings.maximumSchemaBytes))")
        }
        return schema
    }
}
