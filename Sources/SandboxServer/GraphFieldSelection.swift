/// One entry of a Graph API `fields` parameter, with Meta's nested field expansion: `messages`,
/// `messages{id,message}`, `messages.limit(5){id,created_time}` (the modifier may also follow the braces).
///
/// Field expansion is described in Meta's Graph API guide ("Field Expansion":
/// https://developers.facebook.com/docs/graph-api/guides/field-expansion); Instagram's Conversations API example
/// asks for `messages.limit(10){created_time,from,id,message,to}` the same way.
struct GraphFieldSelection: Sendable, Equatable {
    /// The field name.
    var name: String
    /// The `.limit(N)` modifier, if any.
    var limit: Int?
    /// The sub-fields in braces, or `nil` when none were given.
    var subfields: [GraphFieldSelection]?

    /// Parses a whole `fields` value; `nil` when braces or parentheses do not balance or a name is empty.
    static func parse(_ text: String) -> [GraphFieldSelection]? {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        guard let fields = parser.list(), parser.isAtEnd else { return nil }
        return fields
    }

    /// The entry named `name` in `fields`, if present.
    static func field(_ name: String, in fields: [GraphFieldSelection]) -> GraphFieldSelection? {
        fields.first { $0.name == name }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        var isAtEnd: Bool { index >= scalars.count }

        /// A comma-separated list up to the end or a closing brace (not consumed).
        mutating func list() -> [GraphFieldSelection]? {
            var fields: [GraphFieldSelection] = []
            while true {
                skipSpaces()
                if isAtEnd || scalars[index] == "}" { return fields }
                guard let field = field() else { return nil }
                fields.append(field)
                skipSpaces()
                if !isAtEnd && scalars[index] == "," { index += 1 }
            }
        }

        mutating func field() -> GraphFieldSelection? {
            var name = ""
            while !isAtEnd, !",{}.() ".unicodeScalars.contains(scalars[index]) {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !name.isEmpty else { return nil }
            var selection = GraphFieldSelection(name: name, limit: nil, subfields: nil)
            while !isAtEnd {
                if scalars[index] == "." {
                    index += 1
                    guard let (modifier, argument) = modifier() else { return nil }
                    if modifier == "limit" { selection.limit = Int(argument) }
                } else if scalars[index] == "{" {
                    index += 1
                    guard let inner = list(), !isAtEnd, scalars[index] == "}" else { return nil }
                    index += 1
                    selection.subfields = inner
                } else {
                    break
                }
            }
            return selection
        }

        /// `name(argument)` after a dot.
        mutating func modifier() -> (String, String)? {
            var name = ""
            while !isAtEnd, scalars[index] != "(" {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !isAtEnd else { return nil }
            index += 1
            var argument = ""
            while !isAtEnd, scalars[index] != ")" {
                argument.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !isAtEnd else { return nil }
            index += 1
            return (name, argument)
        }

        mutating func skipSpaces() {
            while !isAtEnd, scalars[index] == " " { index += 1 }
        }
    }
}
