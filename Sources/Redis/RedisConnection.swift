internal import CHiredis
import Glibc

/// One open hiredis connection, used synchronously by one thread at a time.
///
/// You never create one: ``RedisClient/withConnection(_:)`` lends it to a closure that runs on the
/// connection's own thread, so several commands cost one thread hop. Do not keep it after the closure
/// returns and do not pass it to another thread.
///
/// A connection that meets an I/O error is marked broken; its owner drops it and dials a new one on next use.
public final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    private let socket: Int32
    /// `true` once an I/O or protocol error made the connection unusable.
    public private(set) var isBroken = false
    /// Cluster and Sentinel modes: every command goes through the router (see `RedisRouter`).
    var router: (any RedisRouter)?

    /// hiredis writes with `write(2)`, which raises `SIGPIPE` on a socket the server closed; that signal
    /// would kill the process, so the first connection makes the process ignore it (the write then fails
    /// with `EPIPE`, which maps to `.connectionClosed`).
    private static let ignoreBrokenPipe: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    init(configuration: RedisConfiguration, commandTimeout: Duration?) throws {
        Self.ignoreBrokenPipe
        let timeout = Self.timeval(configuration.connectTimeout)
        let dialed: UnsafeMutablePointer<redisContext>?
        switch configuration.endpoint {
        case .tcp(let host, let port): dialed = redisConnectWithTimeout(host, Int32(port), timeout)
        case .unixSocket(let path): dialed = redisConnectUnixWithTimeout(path, timeout)
        }
        guard let dialed else { throw RedisError(.connectionFailed, message: "cannot allocate a hiredis context") }
        if dialed.pointee.err != 0 {
            let text = Self.errorText(dialed)
            redisFree(dialed)
            throw RedisError(.connectionFailed, message: "connect to \(configuration.endpointDescription): \(text)")
        }
        context = dialed
        socket = dialed.pointee.fd
        _ = fcntl(socket, F_SETFD, FD_CLOEXEC)  // hiredis does not: a spawned child must not inherit the socket
        try setTimeout(commandTimeout)
        if let password = configuration.password {
            do {
                _ = try send(RedisCommand("AUTH", password))
            } catch let error as RedisError where error.code == .serverError {
                throw RedisError(.connectionFailed, message: "AUTH refused by the server")
            }
        }
        if configuration.database != 0 { _ = try send(RedisCommand("SELECT", configuration.database)) }
    }

    deinit { redisFree(context) }

    /// Sends one command and waits for its reply.
    /// - Parameter command: The command; arguments are sent as bytes with explicit lengths.
    /// - Returns: The typed reply.
    /// - Throws: ``RedisError`` `.serverError` with the server's text for an error reply,
    ///   `.connectionClosed` / `.timeout` / `.protocolError` when the connection failed (it is then broken).
    public func send(_ command: RedisCommand) throws -> RedisReply {
        if let router { return try router.send(command, anchor: self) }
        return try sendDirect(command)
    }

    /// ``send(_:)-(RedisCommand)`` on this socket, bypassing any router.
    func sendDirect(_ command: RedisCommand) throws -> RedisReply {
        guard !isBroken else { throw RedisError(.connectionClosed, message: "connection is broken") }
        let raw: UnsafeMutableRawPointer? = Self.withArgv(command) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else { throw connectionError(command.name) }
        defer { freeReplyObject(raw) }
        return try Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Sends one command built from a name and arguments.
    /// - Returns: The typed reply.
    /// - Throws: See ``send(_:)-(RedisCommand)``.
    public func send(_ name: String, _ arguments: any RedisArgumentConvertible...) throws -> RedisReply {
        try send(RedisCommand(name, arguments: arguments))
    }

    /// Writes many commands, then reads all their replies: one round trip for the lot.
    /// - Parameter commands: The commands, in order.
    /// - Returns: One result per command, in order; an error reply is a `.failure` with `.serverError`.
    /// - Throws: ``RedisError`` when the connection failed; the connection is then broken.
    public func pipeline(_ commands: [RedisCommand]) throws -> [Result<RedisReply, RedisError>] {
        if let router { return try router.pipeline(commands, anchor: self) }
        return try pipelineDirect(commands)
    }

    /// ``pipeline(_:)`` on this socket, bypassing any router.
    func pipelineDirect(_ commands: [RedisCommand]) throws -> [Result<RedisReply, RedisError>] {
        guard !isBroken else { throw RedisError(.connectionClosed, message: "connection is broken") }
        for command in commands {
            let status = Self.withArgv(command) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw connectionError("pipeline append") }
        }
        var results: [Result<RedisReply, RedisError>] = []
        results.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let reply = raw else {
                throw connectionError("pipeline read")
            }
            defer { freeReplyObject(reply) }
            do {
                results.append(.success(try Self.convert(reply.assumingMemoryBound(to: redisReply.self))))
            } catch let error as RedisError {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// Marks the connection unusable (a Sentinel router saw `READONLY`): its owner drops it and re-dials.
    func markBroken() { isBroken = true }

    /// Sets how long a reply may take (`nil`: wait forever, for blocking commands).
    func setTimeout(_ timeout: Duration?) throws {
        let value = timeout.map(Self.timeval) ?? Glibc.timeval(tv_sec: 0, tv_usec: 0)
        guard redisSetTimeout(context, value) == REDIS_OK else { throw connectionError("set timeout") }
    }

    /// Shuts the socket down from another thread so a blocked read returns at once (the connection breaks).
    static func interrupt(socket: Int32) { _ = Glibc.shutdown(socket, Int32(SHUT_RDWR)) }

    /// The socket's file descriptor, for ``interrupt(socket:)``.
    var socketDescriptor: Int32 { socket }

    private func connectionError(_ operation: String) -> RedisError {
        isBroken = true
        let code = context.pointee.err
        let text = Self.errorText(context)
        if code == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK) {
            return RedisError(.timeout, message: "\(operation): no reply within the command timeout")
        }
        if code == REDIS_ERR_PROTOCOL { return RedisError(.protocolError, message: "\(operation): \(text)") }
        return RedisError(.connectionClosed, message: "\(operation): \(text)")
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    private static func withArgv<R>(
        _ command: RedisCommand,
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        let arguments = command.arguments
        var lengths = arguments.map(\.count)
        var flat: [UInt8] = []
        flat.reserveCapacity(lengths.reduce(1, +))
        for argument in arguments { flat.append(contentsOf: argument) }
        flat.append(0)
        return flat.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(arguments.count)
            var offset = 0
            for length in lengths {
                pointers.append(base.map { $0 + offset })
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeMutableBufferPointer { lengthBuffer in
                    guard let argvBase = argv.baseAddress, let lengthBase = lengthBuffer.baseAddress else {
                        preconditionFailure("a command always has a name")
                    }
                    return body(Int32(arguments.count), argvBase, UnsafePointer(lengthBase))
                }
            }
        }
    }

    static func convert(_ reply: UnsafeMutablePointer<redisReply>) throws -> RedisReply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_INTEGER: return .integer(Int(value.integer))
        case REDIS_REPLY_STRING: return .bulk(bytes(value.str, value.len))
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            throw RedisError(.serverError, message: String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                guard let element = value.element[index] else { elements.append(.null); continue }
                elements.append(try convert(element))
            }
            return .array(elements)
        default:
            throw RedisError(.unexpectedReply, message: "unknown hiredis reply type \(value.type)")
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}

extension RedisConfiguration {
    /// The address without credentials, for errors and logs.
    var endpointDescription: String {
        switch endpoint {
        case .tcp(let host, let port): return "\(host):\(port)"
        case .unixSocket(let path): return path
        }
    }
}
