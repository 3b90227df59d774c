/// What to tell Redis about one leased job once its run ended.
struct JobAcknowledgement: Sendable {
    enum Operation: String, Sendable {
        case done = "d"
        case retry = "r"
        case dead = "x"
        case handBack = "b"
    }

    let entryID: Int
    let queue: String
    let operation: Operation
    let leased: [UInt8]
    let replacement: [UInt8]
    let score: Int64
}
