import Assistant

/// The assistant module's persona (the store has a `Persona` too; this file sees only the assistant's).
typealias AssistantPersona = Persona
