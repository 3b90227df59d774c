public import Foundation

/// A tenant's id (`client_integrations.id`): a distinct type so it is never confused with another UUID.
public struct TenantID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The UUID.
    public let rawValue: UUID
    /// Wraps a UUID.
    public init(_ rawValue: UUID) { self.rawValue = rawValue }
    /// Parses a UUID string.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        rawValue = uuid
    }
    /// A new random id.
    public static func random() -> TenantID { TenantID(UUID()) }
    /// The UUID in lowercase.
    public var description: String { rawValue.uuidString.lowercased() }

    /// Decodes from a bare UUID string.
    /// - Throws: `DecodingError` when it is not a UUID.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    /// Encodes as a bare lowercase UUID string.
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A tenant's plan.
public enum Tier: String, Sendable, Codable, CaseIterable {
    /// 1,000 messages a month, Instagram only.
    case starter
    /// 10,000 messages a month, Instagram, Facebook and webchat.
    case professional
    /// Unlimited.
    case enterprise
}

/// Whether a tenant is served.
public enum TenantStatus: String, Sendable, Codable, CaseIterable {
    /// Served.
    case active
    /// Not served (messages are stored, no AI reply, no refresh).
    case disabled
}

/// How the tenant's assistant presents itself.
public struct Persona: Sendable, Codable, Equatable {
    /// The assistant's display name.
    public var name: String?
    /// Free-text instructions (tone, business facts).
    public var instructions: String?
    /// Extra settings (language, emoji policy…).
    public var settings: [String: String]

    /// Creates a persona.
    public init(name: String? = nil, instructions: String? = nil, settings: [String: String] = [:]) {
        self.name = name
        self.instructions = instructions
        self.settings = settings
    }
}

/// A tenant: one business client (`client_integrations` row).
public struct Tenant: Sendable, Codable, Equatable {
    /// The id.
    public let id: TenantID
    /// Display name.
    public var name: String
    /// Plan.
    public var tier: Tier
    /// Served or not.
    public var status: TenantStatus
    /// Assistant persona.
    public var persona: Persona
    /// When it was created.
    public let createdAt: Date
    /// The tenant's contact address for notices, if known.
    public var email: String?
    /// Whether notices are mailed to ``email`` (they are always shown on the tenant's page).
    public var noticeEmailEnabled: Bool

    /// Creates a tenant value (rows come from ``TenantRepository``).
    public init(
        id: TenantID, name: String, tier: Tier, status: TenantStatus, persona: Persona, createdAt: Date,
        email: String? = nil, noticeEmailEnabled: Bool = true
    ) {
        self.id = id
        self.name = name
        self.tier = tier
        self.status = status
        self.persona = persona
        self.createdAt = createdAt
        self.email = email
        self.noticeEmailEnabled = noticeEmailEnabled
    }

    /// Decodes a tenant; `email` and `noticeEmailEnabled` may be missing (older JSON).
    /// - Throws: `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(TenantID.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        tier = try container.decode(Tier.self, forKey: .tier)
        status = try container.decode(TenantStatus.self, forKey: .status)
        persona = try container.decode(Persona.self, forKey: .persona)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        noticeEmailEnabled = try container.decodeIfPresent(Bool.self, forKey: .noticeEmailEnabled) ?? true
    }

    /// The address notices are mailed to: ``email`` when set and enabled, else `nil`.
    public var noticeRecipient: String? { noticeEmailEnabled ? email : nil }

    /// Checks a contact address: one plain `local@domain`, at most 254 characters, no spaces or line breaks.
    /// - Returns: `true` when the address is acceptable.
    public static func isValidEmail(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return address.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !address.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "," || $0 == "<" || $0 == ">" })
    }
}
