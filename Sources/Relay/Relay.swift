/// The composition root: builds pools and clients from ``Settings`` and runs the services.
public enum Relay {
    /// The version printed by `woodstock --version`.
    public static let version = "0.1.0"
}
