/// The app ids and secrets the OAuth exchanges need. `description` never shows a secret.
public struct MetaAppCredentials: Sendable, CustomStringConvertible {
    /// The Instagram App ID (Instagram Login), if Instagram Login is enabled.
    public var instagramAppID: String?
    /// The Instagram App Secret.
    public var instagramAppSecret: String?
    /// The Meta App ID (Facebook Login), if Facebook Login is enabled.
    public var metaAppID: String?
    /// The Meta App Secret.
    public var metaAppSecret: String?

    /// Creates credentials; leave a pair `nil` when that login is not used.
    /// - Parameters:
    ///   - instagramAppID: Instagram App ID.
    ///   - instagramAppSecret: Instagram App Secret.
    ///   - metaAppID: Meta App ID.
    ///   - metaAppSecret: Meta App Secret.
    public init(
        instagramAppID: String? = nil, instagramAppSecret: String? = nil, metaAppID: String? = nil,
        metaAppSecret: String? = nil
    ) {
        self.instagramAppID = instagramAppID
        self.instagramAppSecret = instagramAppSecret
        self.metaAppID = metaAppID
        self.metaAppSecret = metaAppSecret
    }

    /// App ids only; secrets as `********` or `unset`.
    public var description: String {
        "MetaAppCredentials(instagramAppID: \(instagramAppID ?? "unset"), instagramAppSecret: "
            + "\(instagramAppSecret == nil ? "unset" : "********"), metaAppID: \(metaAppID ?? "unset"), "
            + "metaAppSecret: \(metaAppSecret == nil ? "unset" : "********"))"
    }

    func instagram() throws -> (id: String, secret: String) {
        guard let id = instagramAppID, let secret = instagramAppSecret else {
            throw MetaError(.invalidRequest, message: "oauth: Instagram App ID and secret are not configured")
        }
        return (id, secret)
    }

    func meta() throws -> (id: String, secret: String) {
        guard let id = metaAppID, let secret = metaAppSecret else {
            throw MetaError(.invalidRequest, message: "oauth: Meta App ID and secret are not configured")
        }
        return (id, secret)
    }
}
