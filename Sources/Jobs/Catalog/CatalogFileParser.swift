internal import Yams

/// Reads one catalog file (`jobs/NAME.yaml`) into a ``JobDefinition``, collecting every problem it finds.
///
/// Each problem names the file and the field: `jobs/x.yaml: max_attempts must be 1...100 (found 0)`.
struct CatalogFileParser {
    /// The file as shown in messages, e.g. `jobs/process-message.yaml`.
    let file: String
    /// The file's base name, which the `name` field must equal.
    let expectedName: String
    /// Every problem found so far.
    private(set) var problems: [String] = []

    /// Fields a catalog file may contain.
    static let knownFields: [String] = [
        "name", "summary", "queue", "priority", "max_attempts", "backoff", "timeout",
        "unique_key", "unique_for", "group", "group_concurrency", "group_rate_per_second",
    ]
    /// Fields the `backoff` mapping may contain.
    static let backoffFields: [String] = ["base", "max", "jitter"]

    /// Allowed ranges, shared with the documentation in `jobs/`.
    static let priorityRange = 0...100
    static let attemptsRange = 1...100
    static let jitterRange = 0.0...1.0
    static let timeoutRange = Duration.seconds(1)...Duration.seconds(3_600)
    static let uniqueForRange = Duration.seconds(1)...Duration.seconds(30 * 86_400)
    static let backoffBaseRange = Duration.milliseconds(100)...Duration.seconds(3_600)
    static let backoffMaximum = Duration.seconds(7 * 86_400)
    static let groupConcurrencyRange = 1...10_000
    static let groupRateRange = 0.001...100_000.0

    init(file: String, expectedName: String) {
        self.file = file
        self.expectedName = expectedName
    }

    /// Parses `text`; returns `nil` (with ``problems`` filled) when the file is not valid.
    mutating func parse(_ text: String) -> JobDefinition? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            let detail = "\(error)".split(separator: "\n").first.map(String.init) ?? "syntax error"
            problems.append("\(file): not valid YAML: \(detail)")
            return nil
        }
        guard let mapping = root?.mapping else {
            problems.append("\(file): must be a YAML mapping of fields (\(Self.knownFields.joined(separator: ", ")))")
            return nil
        }
        let fields = collect(mapping, known: Self.knownFields, prefix: "")
        let before = problems.count

        let name = requiredName(fields["name"])
        let queue = string("queue", fields["queue"], required: true)
        if let queue, !Self.isValidName(queue, allowing: "._-") {
            problem("queue must be lowercase letters, digits, '.', '_' or '-' (found '\(queue)')")
        }
        var definition = JobDefinition(name: name ?? expectedName, queue: queue ?? "")
        definition.summary = string("summary", fields["summary"], required: false)
        definition.priority = integer("priority", fields["priority"], in: Self.priorityRange) ?? definition.priority
        definition.maxAttempts =
            integer("max_attempts", fields["max_attempts"], in: Self.attemptsRange)
            ?? definition.maxAttempts
        definition.timeout = duration("timeout", fields["timeout"], in: Self.timeoutRange) ?? definition.timeout
        if let node = fields["backoff"] { definition.backoff = backoff(node, default: definition.backoff) }

        definition.uniqueKeyTemplate = template("unique_key", fields["unique_key"])
        definition.uniqueFor =
            duration("unique_for", fields["unique_for"], in: Self.uniqueForRange) ?? definition.uniqueFor
        if definition.uniqueKeyTemplate == nil, fields["unique_for"] != nil {
            problem("unique_for needs unique_key")
        }
        definition.groupTemplate = template("group", fields["group"])
        definition.groupConcurrency = integer(
            "group_concurrency", fields["group_concurrency"], in: Self.groupConcurrencyRange)
        definition.groupRatePerSecond = number(
            "group_rate_per_second", fields["group_rate_per_second"], in: Self.groupRateRange)
        if definition.groupTemplate == nil {
            for field in ["group_concurrency", "group_rate_per_second"] where fields[field] != nil {
                problem("\(field) needs group")
            }
        }
        return problems.count == before ? definition : nil
    }

    private mutating func problem(_ text: String) {
        problems.append("\(file): \(text)")
    }

    /// Turns a mapping into `[field: value]`, reporting unknown and repeated fields.
    private mutating func collect(_ mapping: Node.Mapping, known: [String], prefix: String) -> [String: Node] {
        var fields: [String: Node] = [:]
        var unknown: [String] = []
        for (key, value) in mapping {
            guard let field = key.scalar?.string else {
                problem("\(prefix)field names must be plain words")
                continue
            }
            if !known.contains(field) {
                unknown.append(prefix + field)
            } else if fields.updateValue(value, forKey: field) != nil {
                problem("\(prefix)\(field) appears twice")
            }
        }
        if !unknown.isEmpty {
            let list = known.map { prefix + $0 }.joined(separator: ", ")
            problem("unknown field\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")) (known: \(list))")
        }
        return fields
    }

    private mutating func requiredName(_ node: Node?) -> String? {
        guard let name = string("name", node, required: true) else { return nil }
        guard name == expectedName else {
            problem("name '\(name)' must equal the file name '\(expectedName)'")
            return nil
        }
        guard Self.isValidName(name, allowing: "_-") else {
            problem("name must be lowercase letters, digits, '_' or '-' (found '\(name)')")
            return nil
        }
        return name
    }

    private mutating func backoff(_ node: Node, default value: JobDefinition.Backoff) -> JobDefinition.Backoff {
        guard let mapping = node.mapping else {
            problem("backoff must be a mapping with \(Self.backoffFields.joined(separator: ", "))")
            return value
        }
        let fields = collect(mapping, known: Self.backoffFields, prefix: "backoff.")
        var result = value
        result.base = duration("backoff.base", fields["base"], in: Self.backoffBaseRange) ?? value.base
        let maxRange = result.base...max(result.base, Self.backoffMaximum)
        result.maximum = duration("backoff.max", fields["max"], in: maxRange) ?? max(value.maximum, result.base)
        result.jitter = number("backoff.jitter", fields["jitter"], in: Self.jitterRange) ?? value.jitter
        return result
    }

    private mutating func scalar(_ field: String, _ node: Node?) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            problem("\(field) must be a single value (quote templates: \"{field}\")")
            return nil
        }
        return scalar.string
    }

    private mutating func string(_ field: String, _ node: Node?, required: Bool) -> String? {
        guard let text = scalar(field, node) else {
            if required, node == nil { problem("\(field) is required") }
            return nil
        }
        guard !text.isEmpty else {
            problem("\(field) must not be empty")
            return nil
        }
        return text
    }

    private mutating func integer(_ field: String, _ node: Node?, in range: ClosedRange<Int>) -> Int? {
        guard let text = scalar(field, node) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            problem("\(field) must be \(range.lowerBound)...\(range.upperBound) (found \(text))")
            return nil
        }
        return value
    }

    private mutating func number(_ field: String, _ node: Node?, in range: ClosedRange<Double>) -> Double? {
        guard let text = scalar(field, node) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            problem(
                "\(field) must be \(Self.format(range.lowerBound))...\(Self.format(range.upperBound)) (found \(text))")
            return nil
        }
        return value
    }

    private mutating func duration(_ field: String, _ node: Node?, in range: ClosedRange<Duration>) -> Duration? {
        guard let text = scalar(field, node) else { return nil }
        guard let value = CatalogDuration.parse(text) else {
            problem("\(field) must be a duration like 30s, 5m, 2h or 1d (found \(text))")
            return nil
        }
        guard range.contains(value) else {
            let bounds = "\(CatalogDuration.format(range.lowerBound))...\(CatalogDuration.format(range.upperBound))"
            problem("\(field) must be \(bounds) (found \(text))")
            return nil
        }
        return value
    }

    private mutating func template(_ field: String, _ node: Node?) -> String? {
        guard let text = string(field, node, required: false) else { return nil }
        do {
            _ = try PayloadTemplate(parsing: text)
        } catch let error as JobError {
            problem("\(field) \(error.message ?? "is not a valid template")")
            return nil
        } catch {
            problem("\(field) is not a valid template")
            return nil
        }
        return text
    }

    static func isValidName(_ text: String, allowing extra: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 64 else { return false }
        func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return isWordCharacter(first)
            && text.unicodeScalars.allSatisfy { isWordCharacter($0) || extra.unicodeScalars.contains($0) }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
