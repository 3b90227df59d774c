import Foundation

/// A string that Meta sometimes sends as a JSON number (`user_id`).
struct FlexibleString: Decodable {
    let value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else {
            value = String(try container.decode(Double.self))
        }
    }
}

/// Scopes as a comma/space separated string or as an array.
struct FlexiblePermissions: Decodable {
    let values: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            values = list
        } else {
            let text = try container.decode(String.self)
            values = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        }
    }
}

/// The Instagram code exchange answer: `{"data":[{…}]}` (current docs) or the flat older shape.
struct InstagramCodeExchangeResponse: Decodable {
    struct Entry: Decodable {
        let access_token: String
        let user_id: FlexibleString
        let permissions: FlexiblePermissions?
    }

    let entry: Entry

    private enum Keys: String, CodingKey { case data }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if container.contains(.data) {
            let list = try container.decode([Entry].self, forKey: .data)
            guard let first = list.first else {
                throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "empty data")
            }
            entry = first
        } else {
            entry = try Entry(from: decoder)
        }
    }
}

struct TokenResponse: Decodable {
    let access_token: String
    let token_type: String?
    let expires_in: Int?
}

struct InstagramMeResponse: Decodable {
    let user_id: FlexibleString?
    let id: FlexibleString?
    let username: String?
    let name: String?
    let account_type: String?
}

struct PagesResponse: Decodable {
    struct Page: Decodable {
        struct Linked: Decodable { let id: FlexibleString }
        let id: FlexibleString
        let name: String?
        let access_token: String?
        let instagram_business_account: Linked?
        let tasks: [String]?
    }

    let data: [Page]
}
