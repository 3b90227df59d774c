internal import CCurl

extension HTTPClient {
    /// Sends one e-mail over SMTP on this client's curl thread (`MAIL FROM`, `RCPT TO`, `DATA`).
    ///
    /// Certificates are always verified; with ``SMTPConfiguration/Security/requireTLS`` a server without STARTTLS
    /// is an error, never a silent plain-text fallback. Cancellation aborts the session like an HTTP request.
    /// - Parameters:
    ///   - message: the message.
    ///   - smtp: the server and credentials.
    /// - Throws: `HTTPError(.invalidRequest)` for a bad address or header, `.timeout`, `.transport` with curl's text
    ///   and the server's last reply code (never the password), `.clientShutdown`, or `CancellationError`.
    public func sendMail(_ message: MailMessage, using smtp: SMTPConfiguration) async throws {
        try message.validate()
        let lower = smtp.url.lowercased()
        guard lower.hasPrefix("smtp://") || lower.hasPrefix("smtps://") else {
            throw HTTPError(.invalidRequest, message: "mail: the URL must be smtp:// or smtps://")
        }
        let transfer = try CurlTransfer(
            labelPrefix: "SMTP", url: smtp.url, maxResponseBytes: 1 << 20, timeout: smtp.timeout,
            connectTimeout: configuration.connectTimeout)
        try transfer.set(CURLOPT_URL, smtp.url)
        try transfer.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        if let caBundlePath = configuration.caBundlePath { try transfer.set(CURLOPT_CAINFO, caBundlePath) }
        let useSSL = smtp.security == .requireTLS ? CURLUSESSL_ALL : CURLUSESSL_NONE
        try transfer.set(CURLOPT_USE_SSL, Int(useSSL.rawValue))
        if let username = smtp.username { try transfer.set(CURLOPT_USERNAME, username) }
        if let password = smtp.password { try transfer.set(CURLOPT_PASSWORD, password) }
        try transfer.set(CURLOPT_MAIL_FROM, "<\(message.from)>")
        try transfer.set(CURLOPT_MAIL_RCPT, list: message.to.map { "<\($0)>" })
        try transfer.setUpload(message.rendered())
        _ = try await run(transfer)
    }
}
