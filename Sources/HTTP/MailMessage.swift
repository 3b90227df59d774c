import Foundation

/// A plain-text e-mail (RFC 5322) for notices: usage thresholds, "reconnect your account".
public struct MailMessage: Sendable {
    /// The envelope and `From:` address, e.g. `noreply@example.com`.
    public var from: String
    /// A display name for `From:`, if any.
    public var fromName: String?
    /// The recipients' addresses.
    public var to: [String]
    /// The subject (any Unicode; encoded per RFC 2047 when not ASCII).
    public var subject: String
    /// The plain-text body (any Unicode).
    public var body: String

    /// Creates a message.
    /// - Parameters:
    ///   - from: sender address.
    ///   - fromName: sender display name.
    ///   - to: recipient addresses.
    ///   - subject: subject line.
    ///   - body: plain-text body.
    public init(from: String, fromName: String? = nil, to: [String], subject: String, body: String) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.body = body
    }

    /// Checks the addresses and header texts for characters that could inject SMTP commands or headers.
    func validate() throws {
        for address in [from] + to {
            guard !address.isEmpty, address.isValidHeaderText, !address.contains(where: { "<> ,".contains($0) }),
                address.contains("@")
            else {
                throw HTTPError(.invalidRequest, message: "mail: invalid address")
            }
        }
        guard !to.isEmpty else { throw HTTPError(.invalidRequest, message: "mail: no recipient") }
        guard subject.isValidHeaderText, fromName?.isValidHeaderText ?? true else {
            throw HTTPError(.invalidRequest, message: "mail: line break in a header")
        }
    }

    /// The message as sent after `DATA` (CRLF line ends; curl adds the dot-stuffing).
    func rendered(date: Date = Date()) -> [UInt8] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let fromHeader = fromName.map { "\(Self.encodedWord($0)) <\(from)>" } ?? from
        let bodyIsASCII = body.utf8.allSatisfy { $0 < 128 }
        var lines = [
            "Date: \(formatter.string(from: date))",
            "From: \(fromHeader)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(Self.encodedWord(subject))",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(bodyIsASCII ? "7bit" : "base64")",
            "",
        ]
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if bodyIsASCII {
            lines.append(
                contentsOf: normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        } else {
            let encoded = Data(normalized.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString()
            var index = encoded.startIndex
            while index < encoded.endIndex {
                let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
                lines.append(String(encoded[index..<end]))
                index = end
            }
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func encodedWord(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 < 128 }) else { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }
}
