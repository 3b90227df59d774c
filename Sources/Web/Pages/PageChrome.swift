/// What the base layout shows around a page's content: the section name, navigation, the signed-in
/// user with a sign-out button, and a one-line notice.
public struct PageChrome: Sendable {
    /// One navigation link.
    public struct Link: Sendable, Hashable {
        /// The link text.
        public var label: String
        /// The target path (`/admin/queues`).
        public var href: String
        /// `true` for the page being shown (rendered with `aria-current="page"`).
        public var isCurrent: Bool

        /// Creates a link.
        public init(label: String, href: String, isCurrent: Bool = false) {
            self.label = label
            self.href = href
            self.isCurrent = isCurrent
        }
    }

    /// The section shown beside the brand (`Operator`, `Your account`).
    public var section: String
    /// The navigation links, in order.
    public var navigation: [Link]
    /// Who is signed in, shown in the header; `nil` on signed-out pages.
    public var userLabel: String?
    /// Where the sign-out form posts; `nil` hides the button.
    public var signOutPath: String?
    /// The session's CSRF token, put in the sign-out form (and available to templates as `csrf`).
    public var csrfToken: String?
    /// A one-line notice at the top of the page (`Job retried`), or `nil`.
    public var notice: String?
    /// `true` when ``notice`` reports a failure (drawn in red).
    public var noticeIsError: Bool

    /// Creates the chrome; every part is optional.
    public init(
        section: String = "", navigation: [Link] = [], userLabel: String? = nil, signOutPath: String? = nil,
        csrfToken: String? = nil, notice: String? = nil, noticeIsError: Bool = false
    ) {
        self.section = section
        self.navigation = navigation
        self.userLabel = userLabel
        self.signOutPath = signOutPath
        self.csrfToken = csrfToken
        self.notice = notice
        self.noticeIsError = noticeIsError
    }

    /// Returns a copy whose link for `path` is marked current.
    /// - Parameter path: The path of the page being shown.
    /// - Returns: The chrome with `isCurrent` set on the matching link only.
    public func current(_ path: String) -> PageChrome {
        var copy = self
        copy.navigation = navigation.map { Link(label: $0.label, href: $0.href, isCurrent: $0.href == path) }
        return copy
    }
}
