import ArgumentParser

/// `woodstock-sandbox`: a local stand-in for Meta's Graph API and an OpenAI-compatible LLM.
@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "woodstock-sandbox")
    func run() async throws {}
}
