import Synchronization

extension SandboxState {
    /// Admits one Conversations API call for `account` under the current ``SandboxFaults/conversationsLimit``
    /// (a sliding window); `false` when the account used its budget.
    func admitConversationsCall(account: String, nowMs: Int64 = SandboxState.nowMs()) -> Bool {
        let limit = faults.conversationsLimit ?? .conversations
        guard limit.calls > 0 else { return true }
        return conversationCalls.withLock { calls in
            let recent = (calls[account] ?? []).filter { nowMs - $0 < Int64(limit.windowMilliseconds) }
            guard recent.count < limit.calls else {
                calls[account] = recent
                return false
            }
            calls[account] = recent + [nowMs]
            return true
        }
    }

    /// The text and attachment messages `account` sent (sender actions left out), oldest first. A send to `/me` counts
    /// for the account its token belongs to (the OAuth account for a prefixed token, as `GET /me` answers).
    func messagesSent(by account: String) -> [SentRecord] {
        sentRecords.filter { record in
            record.senderAction == nil && !record.messageID.isEmpty
                && (record.account == account
                    || (record.account == "me" && (record.tokenUserID ?? configuration.oauthUserID) == account))
        }
    }
}
