import Foundation

/// A local HTTPS server playing a tenant's tool endpoint, for the custom-tool tests: a self-signed certificate
/// for `localhost`/`127.0.0.1` made with `openssl` in a temporary folder (trust it through ``caFile``), and a
/// Python `http.server` behind `ssl` that checks every call's `X-Woodstock-Signature` itself (an independent
/// receiver) and records it.
///
/// Routes (any method): `/tool/ok` → `{"result": "order A-17 ships tomorrow"}`, `/tool/echo` →
/// `{"result": <the arguments>}`, `/tool/slow?ms=N`, `/tool/status/<code>`, `/tool/big?bytes=N`, `/tool/notjson`,
/// `/tool/error` → `{"error": "order not found"}`. ``received()`` lists what `/tool/*` received.
public final class TestToolServer: Sendable {
    /// The port (127.0.0.1).
    public let port: Int
    /// The CA bundle to trust: the server's self-signed certificate.
    public let caFile: String
    /// The signing secret the server checks signatures with.
    public let secret: String
    private let process: Process
    private let stdin: Pipe
    private let folder: URL

    /// `https://127.0.0.1:<port>` + `path`.
    public func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

    /// One call the server received.
    public struct Received: Sendable, Decodable {
        /// The path with query.
        public let path: String
        /// Header fields, names lowercased.
        public let headers: [String: String]
        /// The raw body.
        public let body: String
        /// Whether the server's own HMAC check of `timestamp.body` with ``secret`` passed.
        public let signatureValid: Bool

        private enum CodingKeys: String, CodingKey {
            case path, headers, body
            case signatureValid = "signature_valid"
        }
    }

    private init(port: Int, caFile: String, secret: String, process: Process, stdin: Pipe, folder: URL) {
        self.port = port
        self.caFile = caFile
        self.secret = secret
        self.process = process
        self.stdin = stdin
        self.folder = folder
    }

    /// Starts a server, runs `body`, and stops the server even when `body` throws.
    /// - Parameters:
    ///   - secret: the signing secret to verify with.
    ///   - body: the test.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or ``TestServerError`` when `openssl` or `python3` is missing.
    public static func withServer<R>(secret: String, _ body: (TestToolServer) async throws -> R) async throws -> R {
        let server = try await onDispatch { try start(secret: secret) }
        do {
            let result = try await body(server)
            await onDispatch { server.stop() }
            return result
        } catch {
            await onDispatch { server.stop() }
            throw error
        }
    }

    /// Every `/tool/*` call received so far, oldest first.
    /// - Throws: when the server cannot be read.
    public func received() async throws -> [Received] {
        let url = folder.appendingPathComponent("requests.json")
        return try await Self.onDispatch {
            guard let data = try? Data(contentsOf: url) else { return [] }
            return try JSONDecoder().decode([Received].self, from: data)
        }
    }

    private static func start(secret: String) throws -> TestToolServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tool-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        try run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        let script = folder.appendingPathComponent("tool_server.py")
        try Data(pythonSource.utf8).write(to: script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script.path, cert, key, secret, folder.appendingPathComponent("requests.json").path,
        ]
        let stdin = Pipe()
        process.standardInput = stdin
        let port = try AnnouncedPort.launch(process, name: "tool server")
        return TestToolServer(port: port, caFile: cert, secret: secret, process: process, stdin: stdin, folder: folder)
    }

    private func stop() {
        try? stdin.fileHandleForWriting.close()
        ChildExit.stop(process)
        try? FileManager.default.removeItem(at: folder)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let status = ChildExit.wait(for: process)
        guard status == 0 else {
            throw TestServerError(message: "\(arguments.first ?? executable) failed (\(status))")
        }
    }

    private static func onDispatch<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func onDispatch(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                work()
                continuation.resume()
            }
        }
    }

    private static let pythonSource = #"""
        import hashlib, hmac, json, ssl, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlsplit

        cert, key, secret, record_path = sys.argv[1], sys.argv[2], sys.argv[3].encode(), sys.argv[4]
        lock = threading.Lock()
        recorded = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body):
                if isinstance(body, str):
                    body = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def handle_any(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if not url.path.startswith("/tool/"):
                    return self.reply(404, '{"error":"no route"}')
                timestamp = self.headers.get("X-Woodstock-Timestamp", "")
                signature = self.headers.get("X-Woodstock-Signature", "")
                expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                with lock:
                    recorded.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                     "body": body.decode("utf-8", "replace"),
                                     "signature_valid": hmac.compare_digest(expected, signature)})
                    with open(record_path + ".tmp", "w") as f:
                        json.dump(recorded, f)
                    import os
                    os.replace(record_path + ".tmp", record_path)
                query = parse_qs(url.query)
                path = url.path
                if path == "/tool/ok":
                    return self.reply(200, '{"result": "order A-17 ships tomorrow"}')
                if path == "/tool/echo":
                    return self.reply(200, json.dumps({"result": json.loads(body or b"{}").get("arguments")}))
                if path == "/tool/slow":
                    time.sleep(int(query.get("ms", ["3000"])[0]) / 1000)
                    return self.reply(200, '{"result": "slow"}')
                if path.startswith("/tool/status/"):
                    return self.reply(int(path.rsplit("/", 1)[1]), '{"detail": "upstream trouble"}')
                if path == "/tool/big":
                    size = int(query.get("bytes", ["200000"])[0])
                    return self.reply(200, '{"result": "' + "x" * size + '"}')
                if path == "/tool/notjson":
                    return self.reply(200, "hello, not json")
                if path == "/tool/error":
                    return self.reply(200, '{"error": "order not found"}')
                return self.reply(404, '{"error": "no tool route"}')

            do_GET = do_POST = do_PUT = handle_any

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print("PORT %d" % server.server_address[1], flush=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read()
        server.shutdown()
        """#
}
