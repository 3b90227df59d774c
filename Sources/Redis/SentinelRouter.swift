/// Sentinel mode: the connection talks to the master the sentinels named when it was dialed, and a
/// `READONLY` reply (the master was demoted) breaks it, so the pool drops every connection of that
/// generation and the next command asks the sentinels again — never a connection stuck on a replica.
///
/// Reads never meet `READONLY`, so the router also re-checks `ROLE` on its connection once a second before a
/// command: a connection left on a demoted master breaks within a second even if it only reads.
final class SentinelRouter: RedisRouter {
    private var verifiedAt = ContinuousClock.now

    /// Breaks the connection (before sending anything) when it is more than a second since `ROLE` last said master
    /// and it no longer does.
    private func verifyRole(_ anchor: RedisConnection) throws {
        let now = ContinuousClock.now
        guard now - verifiedAt >= .seconds(1) else { return }
        let role = try anchor.sendDirect(RedisCommand("ROLE")).array?.first?.string
        guard role == "master" else {
            anchor.markBroken()
            throw RedisError(.connectionClosed, message: "the master was demoted to \(role ?? "unknown role")")
        }
        verifiedAt = now
    }

    func send(_ command: RedisCommand, anchor: RedisConnection) throws -> RedisReply {
        try verifyRole(anchor)
        do {
            return try anchor.sendDirect(command)
        } catch let error as RedisError where Self.isReadOnly(error) {
            anchor.markBroken()
            throw error
        }
    }

    func pipeline(_ commands: [RedisCommand], anchor: RedisConnection) throws -> [Result<RedisReply, RedisError>] {
        try verifyRole(anchor)
        let results = try anchor.pipelineDirect(commands)
        for case .failure(let error) in results where Self.isReadOnly(error) {
            anchor.markBroken()
            break
        }
        return results
    }

    /// `true` for the error a replica answers to a write (also inside a script).
    static func isReadOnly(_ error: RedisError) -> Bool {
        guard error.code == .serverError, let message = error.message else { return false }
        return message.hasPrefix("READONLY") || message.contains("-READONLY")
            || message.contains("READONLY You can't write against a read only replica")
    }

    /// Asks the sentinels, in order, for the master of `name`, then checks that it calls itself master.
    /// - Throws: ``RedisError`` `.connectionFailed` when no sentinel answers or the named server is
    ///   not (yet) a master.
    static func master(
        of name: String, sentinels: [RedisConfiguration.Endpoint], configuration: RedisConfiguration
    ) throws -> RedisConfiguration.Endpoint {
        var sentinelConfiguration = configuration
        sentinelConfiguration.password = nil
        sentinelConfiguration.database = 0
        sentinelConfiguration.topology = .standalone
        var failures: [String] = []
        for sentinel in sentinels {
            sentinelConfiguration.endpoint = sentinel
            do {
                let connection = try RedisConnection(
                    configuration: sentinelConfiguration, commandTimeout: configuration.connectTimeout)
                let reply = try connection.sendDirect(RedisCommand("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name))
                guard let parts = reply.array, parts.count == 2, let host = parts[0].string, let port = parts[1].int
                else {
                    failures.append("\(sentinelConfiguration.endpointDescription): master \(name) unknown")
                    continue
                }
                return .tcp(host: host, port: port)
            } catch {
                failures.append("\(error)")
            }
        }
        throw RedisError(
            .connectionFailed, message: "no sentinel named the master \(name): \(failures.joined(separator: "; "))")
    }
}
