import Foundation

extension JobCatalog {
    /// Loads every `*.yaml` / `*.yml` file of a directory, one job type per file.
    ///
    /// Every file is checked before anything is returned, and all problems are reported together, one per
    /// line, each naming its file and field (`jobs/x.yaml: max_attempts must be 1...100 (found 0)`).
    /// Other files (a README, hidden files) are ignored.
    /// - Parameter directory: The catalog directory, usually `jobs`.
    /// - Returns: The catalog.
    /// - Throws: ``JobError/Code/invalidCatalog`` when the directory is missing or empty, or any file has an
    ///   unknown field, a missing or out-of-range value, a name that differs from its file name, or a
    ///   name already used by another file.
    public static func load(directory: String) throws -> JobCatalog {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let label = url.lastPathComponent
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
                .sorted()
        } catch {
            throw JobError(.invalidCatalog, message: "\(directory): cannot list the job catalog directory")
        }
        guard !files.isEmpty else {
            throw JobError(.invalidCatalog, message: "\(directory): no job files (*.yaml)")
        }
        var problems: [String] = []
        var definitions: [JobDefinition] = []
        var fileByName: [String: String] = [:]
        for file in files {
            let shown = "\(label)/\(file)"
            let name = String(file[..<(file.lastIndex(of: ".") ?? file.endIndex)])
            guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(file).path),
                let text = String(data: data, encoding: .utf8)
            else {
                problems.append("\(shown): cannot read the file as UTF-8")
                continue
            }
            if let earlier = fileByName.updateValue(shown, forKey: name) {
                problems.append("\(shown): duplicate job name '\(name)' (also in \(earlier))")
                continue
            }
            var parser = CatalogFileParser(file: shown, expectedName: name)
            if let definition = parser.parse(text) { definitions.append(definition) }
            problems += parser.problems
        }
        guard problems.isEmpty else {
            throw JobError(.invalidCatalog, message: problems.joined(separator: "\n"))
        }
        return try JobCatalog(definitions)
    }
}
