import Foundation
public import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body (an HTML form post).
///
/// ```swift
/// let form = try await WebForm.read(from: &request)
/// let password = form["password"] ?? ""
/// ```
public struct WebForm: Sendable, Equatable {
    /// The largest form body read (64 KiB); larger bodies are refused.
    public static let maximumBodySize = 64 * 1024

    /// Every field in order, names and values decoded.
    public let fields: [(name: String, value: String)]

    /// Parses an urlencoded body (`a=1&b=x+y%21`).
    /// - Parameter body: The body text.
    public init(parsing body: some StringProtocol) {
        var fields: [(name: String, value: String)] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(String(parts[0]))
            let value = parts.count > 1 ? Self.decode(String(parts[1])) : ""
            fields.append((name, value))
        }
        self.fields = fields
    }

    /// The first value of a field, or `nil`.
    public subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Every value of a repeated field (checkboxes), in order.
    /// - Parameter name: The field name.
    /// - Returns: The values, possibly none.
    public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// Reads and parses the request's body when it is a form; the body stays readable afterwards.
    /// - Parameter request: The request.
    /// - Returns: The form, empty when the body is not urlencoded.
    /// - Throws: ``WebError`` `.badRequest` when the body is larger than ``maximumBodySize``.
    public static func read(from request: inout Request) async throws -> WebForm {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { return WebForm(parsing: "") }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBodySize)
        } catch {
            throw WebError(.badRequest, message: "form body over \(maximumBodySize) bytes")
        }
        return WebForm(parsing: String(buffer: buffer))
    }

    /// Equal when the fields are equal, in order.
    public static func == (lhs: WebForm, rhs: WebForm) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    private static func decode(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
