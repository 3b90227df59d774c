internal import CCurl
import Synchronization

/// One transfer: the single Swift owner of a curl easy handle (cleaned up in `deinit`) and its header lists.
///
/// `@unchecked Sendable` invariant: the easy handle, the response buffers and the upload cursor are touched by
/// the submitting task only before ``CurlMultiLoop/submit(_:)`` and by the loop thread only after it; the
/// completion phase is guarded by `phase`.
final class CurlTransfer: @unchecked Sendable {
    /// What happens to the caller's continuation.
    private enum Phase {
        case created
        case cancelledBeforeStart
        case running(CheckedContinuation<HTTPResponse, any Error>)
        case cancelRequested(CheckedContinuation<HTTPResponse, any Error>)
        case done
    }

    let easy: UnsafeMutableRawPointer
    /// The method (or `SMTP`) and the full URL, kept only to build ``label`` when an error needs it.
    private let labelPrefix: String
    private let labelURL: String
    private let phase = Mutex<Phase>(.created)
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private let maxResponseBytes: Int
    private let timeoutMilliseconds: Int
    private let connectTimeoutMilliseconds: Int

    // Loop-thread state.
    private var responseBody: [UInt8] = []
    private var responseHeaders: [(name: String, value: String)] = []
    private var isTooLarge = false
    private var upload: [UInt8] = []
    private var uploadOffset = 0

    /// Creates a transfer.
    /// - Parameters:
    ///   - labelPrefix: the method (or `SMTP`), the first word of ``label``.
    ///   - url: the URL; ``label`` shows it without query, fragment or user info.
    init(labelPrefix: String, url: String, maxResponseBytes: Int, timeout: Duration, connectTimeout: Duration) throws {
        CurlGlobal.initialize()
        guard let easy = curl_easy_init() else {
            throw HTTPError(
                .transport, message: "\(labelPrefix) \(URLRedaction.withoutQuery(url)): curl_easy_init failed")
        }
        self.easy = easy
        self.labelPrefix = labelPrefix
        labelURL = url
        self.maxResponseBytes = maxResponseBytes
        timeoutMilliseconds = timeout.clampedMilliseconds
        connectTimeoutMilliseconds = connectTimeout.clampedMilliseconds
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        try set(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        try set(CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds)
        try check(wc_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback), "write callback")
        try check(wc_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, context), "write data")
        try check(wc_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback), "header callback")
        try check(wc_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, context), "header data")
    }

    /// `METHOD scheme://host/path` for errors and logs; never holds a query string. Built on demand: only
    /// failures need it.
    var label: String { "\(labelPrefix) \(URLRedaction.withoutQuery(labelURL))" }

    deinit {
        curl_easy_cleanup(easy)
        for list in lists { curl_slist_free_all(list) }
    }

    // MARK: Options (before submission only)

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(wc_easy_setopt_long(easy, option, value), "option \(option.rawValue)")
    }

    /// Sets a string option; curl copies the string.
    func set(_ option: CURLoption, _ value: String) throws {
        try value.withCString { try check(wc_easy_setopt_ptr(easy, option, $0), "option \(option.rawValue)") }
    }

    /// Sets an `slist` option (headers, recipients); the list lives as long as the transfer.
    func set(_ option: CURLoption, list items: [String]) throws {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let appended = curl_slist_append(list, item) else {
                if let list { curl_slist_free_all(list) }
                throw HTTPError(.transport, message: "\(label): out of memory building a list")
            }
            list = appended
        }
        guard let list else { return }
        lists.append(list)
        try check(wc_easy_setopt_ptr(easy, option, list), "option \(option.rawValue)")
    }

    /// Sets a request body; curl copies it.
    func setPostBody(_ body: [UInt8]) throws {
        try check(wc_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
        try body.withUnsafeBytes { bytes in
            let pointer = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            try check(wc_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, pointer), "body")
        }
    }

    /// Streams `data` as an upload (SMTP message).
    func setUpload(_ data: [UInt8]) throws {
        upload = data
        uploadOffset = 0
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_UPLOAD, 1)
        try check(wc_easy_setopt_off(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(data.count)), "upload size")
        try check(wc_easy_setopt_write(easy, CURLOPT_READFUNCTION, curlReadCallback), "read callback")
        try check(wc_easy_setopt_ptr(easy, CURLOPT_READDATA, context), "read data")
    }

    private func check(_ code: CURLcode, _ what: @autoclosure () -> String) throws {
        guard code == CURLE_OK else {
            throw HTTPError(
                .invalidRequest, message: "\(label): \(what()): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    // MARK: Completion

    /// Registers the caller's continuation; returns `false` when the task was cancelled before the start.
    func start(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
        let started = phase.withLock { phase -> Bool in
            guard case .created = phase else {
                phase = .done
                return false
            }
            phase = .running(continuation)
            return true
        }
        if !started { continuation.resume(throwing: CancellationError()) }
        return started
    }

    /// Marks a cancellation; returns `true` when the transfer is running and the loop must abort it.
    func markCancelled() -> Bool {
        phase.withLock { phase in
            switch phase {
            case .created:
                phase = .cancelledBeforeStart
                return false
            case .running(let continuation):
                phase = .cancelRequested(continuation)
                return true
            case .cancelledBeforeStart, .cancelRequested, .done: return false
            }
        }
    }

    /// Whether cancellation was requested while running. The loop checks this when attaching, so a cancel that
    /// overtakes the submission is not lost.
    var isCancelRequested: Bool {
        phase.withLock { phase in
            if case .cancelRequested = phase { return true }
            return false
        }
    }

    /// Resumes the caller exactly once; later calls do nothing.
    func finish(_ result: Result<HTTPResponse, any Error>) {
        let continuation = phase.withLock { phase -> CheckedContinuation<HTTPResponse, any Error>? in
            switch phase {
            case .running(let continuation), .cancelRequested(let continuation):
                phase = .done
                return continuation
            case .created, .cancelledBeforeStart, .done:
                return nil
            }
        }
        continuation?.resume(with: result)
    }

    /// Turns curl's result into a response or an error. Loop thread only.
    func complete(_ code: CURLcode) {
        guard code == CURLE_OK else {
            finish(.failure(error(for: code)))
            return
        }
        var status = 0
        _ = wc_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        let response = HTTPResponse(status: status, headers: HTTPHeaders(responseHeaders), body: responseBody)
        responseBody = []
        finish(.success(response))
    }

    private func error(for code: CURLcode) -> HTTPError {
        let text = String(cString: curl_easy_strerror(code))
        if code == CURLE_OPERATION_TIMEDOUT {
            return HTTPError(
                .timeout,
                message: "\(label): timed out (total timeout \(timeoutMilliseconds) ms, "
                    + "connect timeout \(connectTimeoutMilliseconds) ms)")
        }
        if isTooLarge {
            return HTTPError(.responseTooLarge, message: "\(label): response body over \(maxResponseBytes) bytes")
        }
        var responseCode = 0
        _ = wc_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &responseCode)
        let suffix = responseCode > 0 ? " (server replied \(responseCode))" : ""
        return HTTPError(.transport, message: "\(label): \(text)\(suffix)")
    }

    // MARK: Callbacks (loop thread)

    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard responseBody.count + bytes.count <= maxResponseBytes else {
            isTooLarge = true
            return 0
        }
        responseBody.append(contentsOf: bytes)
        return bytes.count
    }

    /// Parses one header line on its bytes (no generic string slicing: this runs for every header of every
    /// response on the loop thread).
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 10 || bytes[end - 1] == 13 { end -= 1 }
        if end >= 5, bytes[0] == 72, bytes[1] == 84, bytes[2] == 84, bytes[3] == 80, bytes[4] == 47 {
            responseHeaders.removeAll()  // "HTTP/": a new response block (after 100 Continue or a redirect)
            return
        }
        guard let colon = bytes[..<end].firstIndex(of: 58) else { return }
        let name = Self.trimmed(bytes, from: 0, to: colon)
        let value = Self.trimmed(bytes, from: colon + 1, to: end)
        responseHeaders.append((name: name, value: value))
    }

    /// The bytes `start..<end` without leading and trailing spaces and tabs, as a string.
    private static func trimmed(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> String {
        var lower = start
        var upper = end
        while lower < upper, bytes[lower] == 32 || bytes[lower] == 9 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 32 || bytes[upper - 1] == 9 { upper -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
    }

    fileprivate func readUpload(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, upload.count - uploadOffset)
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        upload.withUnsafeBytes { source in
            guard let sourceBase = source.baseAddress else { return }
            base.copyMemory(from: sourceBase + uploadOffset, byteCount: count)
        }
        uploadOffset += count
        return count
    }
}

/// curl's write callback: appends to the transfer's body.
private func curlWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// curl's header callback: one header line per call.
private func curlHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

/// curl's read callback: feeds the upload.
private func curlReadCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.readUpload(into: UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

/// `curl_global_init`, once per process, before any handle exists.
enum CurlGlobal {
    private static let once: Bool = wc_global_init_default() == CURLE_OK
    static func initialize() { _ = once }
}
