/// The job types of the product, as declared by the files in `jobs/` (one YAML file per job type).
///
/// Load it once at start-up, check it against the registered handlers, then look definitions up by name:
///
/// ```swift
/// let catalog = try JobCatalog.load(directory: "jobs")
/// try catalog.validate(handlerNames: Set(registry.handlerNames))
/// let definition = try catalog.definition(named: "process-message")
/// ```
///
/// A catalog is an immutable value, safe to share between tasks.
public struct JobCatalog: Sendable, Hashable {
    /// Every definition, keyed by job name.
    public let definitions: [String: JobDefinition]

    /// The job names, sorted.
    public var names: [String] { definitions.keys.sorted() }

    /// Creates a catalog from definitions built in code (tests, benchmarks).
    /// - Parameter definitions: One definition per job type.
    /// - Throws: ``JobError/Code/invalidCatalog`` when two definitions share a name.
    public init(_ definitions: [JobDefinition]) throws {
        var byName: [String: JobDefinition] = [:]
        var duplicates: [String] = []
        for definition in definitions {
            if byName.updateValue(definition, forKey: definition.name) != nil { duplicates.append(definition.name) }
        }
        guard duplicates.isEmpty else {
            throw JobError(
                .invalidCatalog, message: "duplicate job names: \(duplicates.sorted().joined(separator: ", "))")
        }
        self.definitions = byName
    }

    /// The definition of the job type `name`.
    /// - Parameter name: A job name such as `process-message`.
    /// - Returns: Its definition.
    /// - Throws: ``JobError/Code/unknownJob`` when no file in the catalog declares `name`.
    public func definition(named name: String) throws -> JobDefinition {
        guard let definition = definitions[name] else {
            throw JobError(
                .unknownJob, message: "no job named '\(name)' in the catalog (known: \(names.joined(separator: ", ")))")
        }
        return definition
    }

    /// Checks that the handlers registered in code and the catalog's files name the same job types.
    /// - Parameter handlerNames: The names the handlers are registered under.
    /// - Throws: ``JobError/Code/invalidCatalog`` listing every handler without a file and every file
    ///   without a handler, in one message.
    public func validate(handlerNames: Set<String>) throws {
        let declared = Set(definitions.keys)
        let withoutFile = handlerNames.subtracting(declared).sorted()
        let withoutHandler = declared.subtracting(handlerNames).sorted()
        var problems: [String] = []
        if !withoutFile.isEmpty {
            problems.append("handlers without a jobs/ file: \(withoutFile.joined(separator: ", "))")
        }
        if !withoutHandler.isEmpty {
            problems.append("jobs/ files without a handler: \(withoutHandler.joined(separator: ", "))")
        }
        guard problems.isEmpty else {
            throw JobError(.invalidCatalog, message: problems.joined(separator: "; "))
        }
    }
}
