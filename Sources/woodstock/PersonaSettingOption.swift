import ArgumentParser

/// Reads `--setting key=value` options into a persona's settings (`product.<name>`, `fact.<topic>`, `tone`).
enum PersonaSettingOption {
    /// The help text of the option.
    static let help: ArgumentHelp = """
        A persona setting as key=value, repeatable: product.<name>=<details> (what the product search finds), \
        fact.<topic>=<text>, tone=<words>.
        """

    /// Parses each `key=value`; the value may be empty and may contain `=`.
    /// - Throws: `ValidationError` naming an option without a key or without `=`.
    static func settings(_ options: [String]) throws -> [String: String] {
        var settings: [String: String] = [:]
        for option in options {
            guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
                throw ValidationError("--setting takes key=value (e.g. \"product.Blue mug=12 EUR\"), not \"\(option)\"")
            }
            settings[String(option[..<equals])] = String(option[option.index(after: equals)...])
        }
        return settings
    }
}
