/// A tenant's assistant persona, turned into the system prompt.
public struct Persona: Sendable, Hashable {
    /// The business's name, e.g. `Riga Bikes`.
    public var businessName: String
    /// The tone, e.g. `friendly and brief`.
    public var tone: String?
    /// Facts the assistant may state (opening hours, shipping, prices).
    public var facts: [String]
    /// The tenant's own instructions, appended as written.
    public var instructions: String?

    /// Creates a persona.
    /// - Parameters:
    ///   - businessName: business name.
    ///   - tone: tone of voice.
    ///   - facts: business facts.
    ///   - instructions: extra instructions.
    public init(businessName: String, tone: String? = nil, facts: [String] = [], instructions: String? = nil) {
        self.businessName = businessName
        self.tone = tone
        self.facts = facts
        self.instructions = instructions
    }

    /// The system prompt for this persona.
    /// - Parameter toolNames: the tools offered this time (mentions hand-over when `handover_to_human` is one).
    /// - Returns: the prompt text.
    public func systemPrompt(toolNames: [String] = []) -> String {
        var lines = [
            "You are the assistant of \(businessName), answering customers' Instagram direct messages.",
            "Reply in the customer's language, in plain text without Markdown, briefly (a few sentences).",
            "Only state facts given here or returned by a tool; if you do not know, say so.",
        ]
        if let tone, !tone.isEmpty { lines.append("Tone: \(tone).") }
        if !facts.isEmpty {
            lines.append("Facts about \(businessName):")
            lines.append(contentsOf: facts.map { "- \($0)" })
        }
        if toolNames.contains("handover_to_human") {
            lines.append(
                "If the customer asks for a person, or you cannot help, call handover_to_human and tell the "
                    + "customer that a person will reply.")
        }
        if let instructions, !instructions.isEmpty { lines.append(instructions) }
        return lines.joined(separator: "\n")
    }
}
