import CryptoCore
import Foundation
import Logging
import Store
import Synchronization

/// What a data-key rotation did.
public struct RotationReport: Sendable, Equatable {
    /// The key every token is now sealed under.
    public let activeKeyID: Int
    /// Whether this run created that key (false: it finished an interrupted rotation).
    public let createdKey: Bool
    /// Tokens this run re-encrypted.
    public let reencrypted: Int
    /// Keys this run retired.
    public let retiredKeyIDs: [Int]
}

extension Vault {
    /// Rotates the data key online: creates a new active key, re-encrypts every token in batches (each batch
    /// one transaction: `SELECT … FOR UPDATE SKIP LOCKED`, then one `UPDATE … FROM unnest(…)`), then retires
    /// the old keys once no token uses them. Every token stays decryptable throughout: a row always holds a
    /// ciphertext and the id of the key that opens it, and old keys are kept until unused.
    ///
    /// Resumable: a run that finds keys still `retiring` (an earlier run was killed or cancelled) finishes that
    /// rotation instead of starting another. Two runs at once are safe: key creation is serialised by an
    /// advisory lock and the batches skip each other's locked rows. Cancelling the task stops after the
    /// current batch rolls back or commits.
    /// - Parameters:
    ///   - batchSize: tokens per transaction.
    ///   - workers: batches in flight at once (each on its own pooled connection).
    ///   - actor: recorded in the audit log.
    /// - Returns: what was done.
    /// - Throws: ``VaultError``, a store error, or `CancellationError`.
    public func rotateDataKeys(batchSize: Int = 2000, workers: Int = 2, actor: String = "system:rotate-keys")
        async throws
        -> RotationReport
    {
        var bytes = try randomKeyBytes()
        defer { SecureRandom.wipe(&bytes) }
        let master = currentMaster.withLock { $0 }
        let plan = try await repositories.keys.beginRotation(
            wrappedKey: try wrap(bytes, with: master), masterKeyID: master.id, actor: actor)
        let targetID = plan.target.id
        let target = try unwrapCached(plan.target)
        logger.info(
            plan.createdKey ? "key rotation started" : "key rotation resumed",
            metadata: ["key.id": "\(targetID)", "batch.size": "\(batchSize)"])

        var total = 0
        var retired: [Int] = []
        while true {
            var oldKeys: [Int: SymmetricKey] = [:]
            for stored in try await repositories.keys.allKeys() where stored.id != targetID {
                oldKeys[stored.id] = try unwrapCached(stored)
            }
            let keys = oldKeys
            let repositories = self.repositories
            let logger = self.logger
            // Each worker walks its own slice of the id space in id order, then one pass picks up whatever
            // was skipped (rows locked by a concurrent run, or written meanwhile).
            let bounds = Self.idBoundaries(workers: max(1, workers))
            total += try await withThrowingTaskGroup(of: Int.self) { group in
                for slice in 0..<max(1, workers) {
                    group.addTask {
                        var moved = 0
                        var after = bounds[slice]
                        while true {
                            try Task.checkCancellation()
                            let (count, last) = try await repositories.keys.reencryptBatch(
                                targetKeyID: targetID, limit: batchSize, after: after, before: bounds[slice + 1]
                            ) { rows in
                                try rows.map { row in try Self.reseal(row, from: keys, to: target, targetID: targetID) }
                            }
                            if count == 0 && last == nil { return moved }
                            after = last
                            moved += count
                            logger.debug(
                                "key rotation batch", metadata: ["key.id": "\(targetID)", "tokens": "\(count)"])
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            while true {
                try Task.checkCancellation()
                let (count, _) = try await repositories.keys.reencryptBatch(targetKeyID: targetID, limit: batchSize) {
                    rows in
                    try rows.map { row in try Self.reseal(row, from: keys, to: target, targetID: targetID) }
                }
                if count == 0 { break }
                total += count
            }
            let (done, remaining) = try await repositories.keys.retireUnusedKeys(actor: actor)
            retired += done
            if remaining == 0 { break }
        }
        try await repositories.audit.record(
            AuditEntry(
                actor: actor, tenantID: nil, action: "key.rotated",
                details: [
                    "key.id": "\(targetID)", "tokens": "\(total)",
                    "retired": retired.map(String.init).joined(separator: ","),
                ]))
        logger.info(
            "key rotation finished",
            metadata: ["key.id": "\(targetID)", "tokens": "\(total)", "keys.retired": "\(retired.count)"])
        return RotationReport(
            activeKeyID: targetID, createdKey: plan.createdKey, reencrypted: total, retiredKeyIDs: retired)
    }

    /// `workers + 1` boundaries splitting the UUID space by its first byte: the first is the zero UUID, the
    /// last is open (`nil`). (A boundary id itself is excluded by `>` and taken by the clean-up pass.)
    static func idBoundaries(workers: Int) -> [UUID?] {
        (0...workers).map { index in
            guard index < workers else { return nil }
            let first = UInt8(index * 256 / workers)
            return UUID(uuid: (first, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        }
    }

    static func reseal(
        _ row: StoredTokenRow, from keys: [Int: SymmetricKey], to target: SymmetricKey, targetID: Int
    ) throws -> SealedToken {
        let keyID = try TokenCipher.keyID(of: row.sealed)
        guard let key = keys[keyID] else {
            throw VaultError(.unknownKey, message: "data key \(keyID) is not in encryption_keys")
        }
        var plain = try TokenCipher.open(
            row.sealed, key: key, tenantID: row.tenantID, integrationID: row.integrationID, field: accessTokenField)
        defer { SecureRandom.wipe(&plain) }
        return try TokenCipher.seal(
            plain, keyID: targetID, key: target, tenantID: row.tenantID, integrationID: row.integrationID,
            field: accessTokenField)
    }

    /// Re-wraps every data key under `newMasterKey` in one transaction (audited `key.rewrapped` per key).
    /// Afterwards set `WOODSTOCK_MASTER_KEY` to the new key; this vault already uses it.
    /// - Returns: how many data keys were re-wrapped.
    /// - Throws: ``VaultError/Code/invalidMasterKey`` when a data key does not open with a configured master key;
    ///   nothing changes then.
    @discardableResult
    public func rotateMasterKey(to newMasterKey: MasterKey, actor: String = "system:rotate-master-key") async throws
        -> Int
    {
        let count = try await repositories.keys.rewrapAll(actor: actor) { [self] keys in
            try keys.map { stored in
                var bytes = try unwrapBytes(stored)
                defer { SecureRandom.wipe(&bytes) }
                return (stored.id, try wrap(bytes, with: newMasterKey), newMasterKey.id)
            }
        }
        masterKeys.withLock { $0[newMasterKey.id] = newMasterKey }
        currentMaster.withLock { $0 = newMasterKey }
        logger.info("master key rotated", metadata: ["master_key.id": "\(newMasterKey.id)", "keys": "\(count)"])
        return count
    }
}
