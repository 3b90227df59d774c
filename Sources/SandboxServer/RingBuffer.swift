/// A bounded FIFO that drops its oldest element when full; each element gets a rising sequence number.
struct RingBuffer<Element: Sendable>: Sendable {
    private var storage: [Element?]
    private var start = 0
    private(set) var count = 0
    /// The sequence number the next appended element gets (starts at 1).
    private(set) var nextSequence = 1

    init(capacity: Int) {
        storage = Array(repeating: nil, count: max(1, capacity))
    }

    var capacity: Int { storage.count }

    /// Appends `element`, dropping the oldest one when full; returns its sequence number.
    @discardableResult
    mutating func append(_ element: Element) -> Int {
        let sequence = nextSequence
        nextSequence += 1
        if count < storage.count {
            storage[(start + count) % storage.count] = element
            count += 1
        } else {
            storage[start] = element
            start = (start + 1) % storage.count
        }
        return sequence
    }

    /// The elements, oldest first.
    var elements: [Element] {
        (0..<count).compactMap { storage[(start + $0) % storage.count] }
    }

    mutating func removeAll() {
        storage = Array(repeating: nil, count: storage.count)
        start = 0
        count = 0
    }
}
