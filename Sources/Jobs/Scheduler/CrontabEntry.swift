/// One schedule line of the `crontab` file: when, and which job with which payload.
public struct CrontabEntry: Sendable, Hashable {
    /// The 1-based line number in the file, for messages.
    public let lineNumber: Int
    /// When the job is due.
    public let schedule: CronExpression
    /// The job to enqueue, e.g. `refresh-tokens`.
    public let jobName: String
    /// The JSON object given with `--payload` (as written), or `{}`.
    public let payloadJSON: [UInt8]
    /// The line passes `--scheduled`, so a system-cron run enqueues with the same unique key as the
    /// scheduler (`JOB@minute`) and the two never double-enqueue a tick.
    public let usesScheduledKey: Bool
    /// The command as written after the schedule.
    public let command: String

    /// Creates an entry (tests; files are read by ``Crontab``).
    public init(
        lineNumber: Int,
        schedule: CronExpression,
        jobName: String,
        payloadJSON: [UInt8] = Array("{}".utf8),
        usesScheduledKey: Bool = true,
        command: String = ""
    ) {
        self.lineNumber = lineNumber
        self.schedule = schedule
        self.jobName = jobName
        self.payloadJSON = payloadJSON
        self.usesScheduledKey = usesScheduledKey
        self.command = command
    }
}
