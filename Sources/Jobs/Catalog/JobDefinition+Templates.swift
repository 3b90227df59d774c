extension JobDefinition {
    /// The unique key for a payload, from ``uniqueKeyTemplate``.
    /// - Parameter payloadJSON: The job's JSON payload (an object).
    /// - Returns: The key, or `nil` when the job type has no unique key.
    /// - Throws: ``JobError/Code/payloadEncoding`` when the payload is not a JSON object or lacks a field the
    ///   template needs; ``JobError/Code/invalidCatalog`` when the template itself is malformed.
    public func renderUniqueKey(payloadJSON: [UInt8]) throws -> String? {
        try renderKeys(payloadJSON: payloadJSON).uniqueKey
    }

    /// The fairness group for a payload, from ``groupTemplate``.
    /// - Parameter payloadJSON: The job's JSON payload (an object).
    /// - Returns: The group, or `nil` when the job type has no group.
    /// - Throws: Like ``renderUniqueKey(payloadJSON:)``.
    public func renderGroup(payloadJSON: [UInt8]) throws -> String? {
        try renderKeys(payloadJSON: payloadJSON).group
    }

    /// Both the unique key and the group, decoding the payload once.
    /// - Parameter payloadJSON: The job's JSON payload (an object).
    /// - Returns: The unique key and the group, each `nil` when the job type has no such template.
    /// - Throws: Like ``renderUniqueKey(payloadJSON:)``.
    public func renderKeys(payloadJSON: [UInt8]) throws -> (uniqueKey: String?, group: String?) {
        guard uniqueKeyTemplate != nil || groupTemplate != nil else { return (nil, nil) }
        // A malformed template was not compiled: parsing it again throws the reason.
        let uniqueTemplate = try compiledUniqueKey ?? uniqueKeyTemplate.map { try PayloadTemplate(parsing: $0) }
        let groupTemplate = try compiledGroup ?? self.groupTemplate.map { try PayloadTemplate(parsing: $0) }
        let wanted = (uniqueTemplate?.fieldNames ?? []) + (groupTemplate?.fieldNames ?? [])
        let fields = try PayloadFields.decode(payloadJSON, keeping: wanted, context: name)
        let uniqueKey = try uniqueTemplate?.render(fields: fields, context: "\(name): unique_key")
        let group = try groupTemplate?.render(fields: fields, context: "\(name): group")
        return (uniqueKey, group)
    }
}
