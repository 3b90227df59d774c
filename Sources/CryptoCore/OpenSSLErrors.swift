internal import COpenSSL

/// Reads (and clears) OpenSSL's thread-local error queue as text. Never holds secrets: OpenSSL's messages name
/// the failing function and reason only.
enum OpenSSLErrors {
    static func drain() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            let text = buffer.withUnsafeMutableBufferPointer { b -> String in
                guard let base = b.baseAddress else { return "" }
                ERR_error_string_n(code, base, b.count)
                return String(cString: base)
            }
            parts.append(text)
        }
        return parts.isEmpty ? "unknown OpenSSL error" : parts.joined(separator: "; ")
    }
}
