internal import CLibpq
import Dispatch
import Foundation
import Logging
import Synchronization

/// One libpq connection. It is used only on its own serial queue: the pool hands it to a synchronous body
/// (``PostgresPool/withConnection(_:)``) that runs there, so several statements cost one thread hop.
///
/// Never keep a connection after the body returns, and never call it from another thread.
public final class PostgresConnection: @unchecked Sendable {
    // Invariant: `handle` and `isBroken` are read and written only on `queue` (a serial queue), and the
    // `cancel` box only under its mutex; so the class may be shared between tasks.
    let queue: DispatchQueue
    let configuration: PostgresConfiguration
    let logger: Logger
    private var handle: OpaquePointer?
    private(set) var isBroken = false
    /// Statements prepared in this session (queue only, like `handle`).
    private var statements: PostgresStatementCache
    let cancel = Mutex(CancelBox())

    struct CancelBox {
        var handle: CancelHandle?
        var runningStatement: UInt64 = 0
        var statementCounter: UInt64 = 0
    }

    /// A `PGcancel`; libpq documents `PQcancel` as safe to call from any thread.
    struct CancelHandle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    init(configuration: PostgresConfiguration, logger: Logger, label: Int) {
        self.configuration = configuration
        self.logger = logger
        self.queue = DispatchQueue(label: "woodstock.postgres.connection.\(label)")
        self.statements = PostgresStatementCache(capacity: configuration.statementCacheCapacity)
    }

    deinit {
        if let handle { PQfinish(handle) }
        if let old = cancel.withLock({ $0.handle }) { PQfreeCancel(old.pointer) }
    }

    /// Dials the server (blocking; runs on `queue`).
    func connect() throws {
        dispatchPrecondition(condition: .onQueue(queue))
        let parameters = configuration.connectionParameters
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer { (keywords + values).forEach { free($0) } }
        var keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers = values.map { UnsafePointer($0) } + [nil]
        let conn = PQconnectdbParams(&keywordPointers, &valuePointers, 0)
        guard let conn else { throw PostgresError(.connectionFailed, message: "libpq could not allocate a connection") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let text = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            throw PostgresError(.connectionFailed, message: "\(configuration): \(text)")
        }
        handle = conn
        isBroken = false
        statements.removeAll()
        installCancelHandle(conn)
        logger.debug("postgres connected", metadata: ["postgres.server": "\(configuration)"])
    }

    private func installCancelHandle(_ conn: OpaquePointer) {
        let fresh = PQgetCancel(conn).map(CancelHandle.init)
        let old = cancel.withLock { box in
            defer { box.handle = fresh }
            return box.handle
        }
        if let old { PQfreeCancel(old.pointer) }
    }

    /// Makes the connection usable before a body runs: notices a server that went away and re-dials,
    /// and rolls back a transaction a previous body left open.
    func prepareForUse() throws {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let conn = handle else { return try connect() }
        _ = PQconsumeInput(conn)
        if isBroken || PQstatus(conn) != CONNECTION_OK {
            logger.warning("postgres connection lost; reconnecting", metadata: ["postgres.server": "\(configuration)"])
            PQfinish(conn)
            handle = nil
            return try connect()
        }
        if PQtransactionStatus(conn) != PQTRANS_IDLE { _ = try? executeScript(unsafeSQL: "ROLLBACK") }
    }

    /// Closes the socket (runs on `queue`).
    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        let old = cancel.withLock { box in
            defer { box.handle = nil }
            return box.handle
        }
        if let old { PQfreeCancel(old.pointer) }
    }

    /// Runs `body` on this connection's queue and reports, from the same visit to the queue, whether the
    /// connection broke (so the pool never has to wait on the queue from a cooperative thread); task
    /// cancellation sends a cancel request to the server.
    func run<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async -> (result: Result<T, any Error>, isBroken: Bool) {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queue.async {
                    let result = Result { try body(self) }
                    continuation.resume(returning: (result, self.isBroken))
                }
            }
        } onCancel: {
            requestCancel()
        }
    }

    /// Asks the server to cancel the statement running now, if any (`PQcancel`, on a background queue).
    func requestCancel() {
        let target = cancel.withLock { $0.runningStatement }
        guard target != 0 else { return }
        DispatchQueue.global().async { [self] in
            cancel.withLock { box in
                guard box.runningStatement == target, let handle = box.handle else { return }
                var buffer = [CChar](repeating: 0, count: 256)
                _ = PQcancel(handle.pointer, &buffer, Int32(buffer.count))
            }
        }
    }

    func markRunning(_ running: Bool) {
        cancel.withLock { box in
            if running {
                box.statementCounter += 1
                box.runningStatement = box.statementCounter
            } else {
                box.runningStatement = 0
            }
        }
    }

    /// Runs one parameterized statement and returns its rows.
    /// - Throws: ``PostgresError`` with the SQLSTATE on a server error, `connectionClosed` when the socket died.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let conn = handle, !isBroken else { throw PostgresError(.connectionClosed, message: "not connected") }
        if logger.logLevel <= .trace { logger.trace("postgres query", metadata: ["postgres.sql": "\(query.sql)"]) }
        let binds = query.binds
        let buffers = binds.map { bind -> UnsafeMutablePointer<CChar>? in
            guard let bytes = bind.bytes else { return nil }
            // Text-format parameters are read as C strings (libpq ignores their lengths), so every
            // buffer gets a terminating NUL after the value's bytes.
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress { buffer.update(from: base, count: chars.count) }
                }
            }
            (buffer + bytes.count).initialize(to: 0)
            return buffer
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let types = binds.map { Oid($0.typeOID) }
        let lengths = binds.map { Int32($0.bytes?.count ?? 0) }
        let formats = binds.map(\.format)
        let values = buffers.map { $0.map { UnsafePointer($0) } }
        let key = PostgresStatementCache.Key(sql: query.sql, types: types.map { UInt32($0) })
        markRunning(true)
        defer { markRunning(false) }
        do {
            return try execute(key, conn: conn, values: values, lengths: lengths, formats: formats)
        } catch let error as PostgresError where Self.isStalePreparedStatement(error) {
            // The server dropped or can no longer use our prepared statement (a schema change altered its
            // result type): forget it; outside a transaction, run the statement again, prepared afresh.
            statements.remove(key)
            guard PQtransactionStatus(conn) == PQTRANS_IDLE else { throw error }
            return try execute(key, conn: conn, values: values, lengths: lengths, formats: formats)
        }
    }

    /// Runs a statement prepared on this connection (preparing it first when it is new and the cache has
    /// room), or unprepared.
    private func execute(
        _ key: PostgresStatementCache.Key, conn: OpaquePointer, values: [UnsafePointer<CChar>?], lengths: [Int32],
        formats: [Int32]
    ) throws -> PostgresRows {
        var name = statements.name(for: key)
        if name == nil, let fresh = statements.reserveName(for: key) {
            let prepared = PQprepare(conn, fresh, key.sql, Int32(key.types.count), key.types.map { Oid($0) })
            defer { PQclear(prepared) }
            _ = try rows(from: prepared, conn: conn)
            statements.store(fresh, for: key)
            name = fresh
        }
        let count = Int32(values.count)
        let result =
            if let name {
                PQexecPrepared(conn, name, count, values, lengths, formats, 1)
            } else {
                PQexecParams(conn, key.sql, count, key.types.map { Oid($0) }, values, lengths, formats, 1)
            }
        defer { PQclear(result) }
        return try rows(from: result, conn: conn)
    }

    /// `26000` (no such prepared statement) or `0A000` "cached plan must not change result type".
    private static func isStalePreparedStatement(_ error: PostgresError) -> Bool {
        error.sqlState == "26000" || (error.sqlState == "0A000" && (error.message ?? "").contains("cached plan"))
    }

    /// Runs trusted SQL text that may hold several statements and takes no parameters (migrations,
    /// `BEGIN`/`COMMIT`). The text must be a constant: never build it from input.
    /// - Throws: ``PostgresError`` with the SQLSTATE.
    public func executeScript(unsafeSQL sql: String) throws {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let conn = handle, !isBroken else { throw PostgresError(.connectionClosed, message: "not connected") }
        markRunning(true)
        let result = PQexec(conn, sql)
        markRunning(false)
        defer { PQclear(result) }
        _ = try rows(from: result, conn: conn)
    }

    /// Runs `body` inside `BEGIN … COMMIT`; a thrown error rolls back and is rethrown.
    /// - Throws: what `body` throws, or ``PostgresError``.
    @discardableResult
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try executeScript(unsafeSQL: "BEGIN")
        do {
            let value = try body(self)
            try executeScript(unsafeSQL: "COMMIT")
            return value
        } catch {
            if !isBroken, let conn = handle, PQtransactionStatus(conn) != PQTRANS_IDLE {
                _ = try? executeScript(unsafeSQL: "ROLLBACK")
            }
            throw error
        }
    }

    private func rows(from result: OpaquePointer?, conn: OpaquePointer) throws -> PostgresRows {
        guard let result else {
            isBroken = PQstatus(conn) != CONNECTION_OK
            let text = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw PostgresError(isBroken ? .connectionClosed : .queryFailed, message: text)
        }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresResultReader.copy(result)
        default:
            throw PostgresResultReader.error(from: result, connectionBroken: markBrokenIfNeeded(conn))
        }
    }

    private func markBrokenIfNeeded(_ conn: OpaquePointer) -> Bool {
        if PQstatus(conn) != CONNECTION_OK { isBroken = true }
        return isBroken
    }
}
