extension MetaError {
    /// What the error means: the Graph error's category, `transient` for transport failures (timeouts, connection
    /// errors), `unknown` otherwise.
    public var category: GraphErrorCategory {
        if let graph { return graph.category }
        return code == .transport ? .transient : .unknown
    }

    /// Whether retrying the same call later can succeed (rate limits, transient errors, timeouts).
    public var isRetryable: Bool { category.isRetryable }

    /// Whether the tenant must connect the account again (token invalid, 190).
    public var needsReauthorization: Bool { category.needsReauthorization }
}
