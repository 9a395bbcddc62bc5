import DriftCore
import DriftRecords

/// A k-way merge of several inputs by event time (DESIGN §2: many files at once are merged by event time), as a
/// state machine: the caller reads and parses, this decides what is aggregated next. Pure.
///
/// Each input is a lane of parsed batches, in its own order. The lane whose next record is oldest is advanced,
/// by a slice of its batch: its records up to the next-oldest lane's next record plus `slack`. So files written at
/// the same time by several writers interleave as if they had been followed live, and a rotated set comes in
/// write order. A lane with nothing queued that may still get batches holds the merge (``Step/need(_:)``: the
/// caller fetches its next batch, or says it is dry); a dry lane holds nothing.
///
/// Every slice moves the watermark to at most `slack` past a record that another lane still holds, so with a
/// slack below the allowed lateness no record is late for the order in which the lanes were merged; what stays
/// possible is a writer's own disorder beyond the lateness, as with one file.
public struct EventTimeMerge {
    /// What to aggregate next: records `records` of `batch` (with the rejected lines among them), from `lane`.
    public struct Slice {
        public var lane: Int
        public var batch: ParsedBatch
        public var records: Range<Int>
    }

    public enum Step {
        /// Aggregate this slice.
        case ingest(Slice)
        /// The lane has nothing queued and may get more: push its next batch, or mark it dry.
        case need(Int)
        /// Every lane is dry (or there are none).
        case idle
    }

    enum State { case waiting, dry }

    struct Lane {
        var queue: [ParsedBatch] = []
        /// Index of the next record of `queue[0]`.
        var cursor = 0
        var state = State.waiting

        var head: Int64? {
            guard let first = queue.first, cursor < first.buffer.records.count else { return nil }
            return first.buffer.records[cursor].time.nanoseconds
        }
    }

    /// How far past the next-oldest lane's next record a slice may go (in event time).
    public let slack: Span
    var lanes: [Int: Lane] = [:]

    public init(slack: Span) {
        self.slack = slack
    }

    /// Lanes being merged.
    public var laneCount: Int { lanes.count }

    /// Batches queued, over all lanes (what the merge holds in memory).
    public var queuedBatches: Int { lanes.values.reduce(0) { $0 + $1.queue.count } }

    /// A new input: it holds the merge until its first batch is pushed or it is marked dry.
    public mutating func addLane(_ lane: Int) {
        lanes[lane] = Lane()
    }

    /// The input ended and everything it gave was aggregated: forget it.
    public mutating func removeLane(_ lane: Int) {
        lanes[lane] = nil
    }

    /// The next parsed batch of `lane`.
    public mutating func push(_ batch: ParsedBatch, lane: Int) {
        lanes[lane, default: Lane()].queue.append(batch)
    }

    /// `lane` has nothing more for now (or ever): it does not hold the merge until ``wake(_:)``.
    public mutating func markDry(_ lane: Int) {
        guard lanes[lane]?.queue.isEmpty ?? false else { return }
        lanes[lane]!.state = .dry
    }

    /// Every dry lane may have more again (a new round of reading): each holds the merge until asked.
    public mutating func wakeAll() {
        for key in lanes.keys { lanes[key]!.state = .waiting }
    }

    /// True when the lane has batches queued that were not aggregated yet.
    public func hasQueued(_ lane: Int) -> Bool { !(lanes[lane]?.queue.isEmpty ?? true) }

    /// The event time of the oldest next record over the lanes — what the merge aggregates next — or nil while a
    /// lane holds the merge (it must be asked first) or none has records queued. An input not yet opened whose first
    /// record is this old must become a lane before the merge goes on.
    public var oldestHead: Int64? {
        var oldest: Int64?
        for lane in lanes.values {
            if lane.queue.isEmpty {
                if lane.state == .waiting { return nil }
                continue
            }
            if let head = lane.head { oldest = min(oldest ?? head, head) }
        }
        return oldest
    }

    /// What to do next. After ``Step/ingest(_:)`` the slice counts as taken.
    /// - Parameter notOpened: the first record's event time of an input not yet a lane: slices stop there too.
    public mutating func next(notOpened: Int64? = nil) -> Step {
        var oldest: (lane: Int, head: Int64)?
        var second = notOpened
        for key in lanes.keys.sorted() {
            let lane = lanes[key]!
            guard !lane.queue.isEmpty else {
                if lane.state == .waiting { return .need(key) }
                continue
            }
            // A batch of rejected lines only (or the end of one): nothing to order, take it now.
            guard let head = lane.head else { return .ingest(take(key, upTo: nil)) }
            if let o = oldest, o.head <= head {
                second = min(second ?? head, head)
            } else {
                if let o = oldest { second = min(second ?? o.head, o.head) }
                oldest = (key, head)
            }
        }
        guard let oldest else { return .idle }
        let bound = second.map { $0 &+ slack.nanoseconds }
        return .ingest(take(oldest.lane, upTo: bound))
    }

    /// The slice of `lane`'s front batch from its cursor through the last record before one later than `bound`.
    mutating func take(_ key: Int, upTo bound: Int64?) -> Slice {
        var lane = lanes.removeValue(forKey: key)!
        let batch = lane.queue[0]
        let count = batch.buffer.records.count
        var end = count
        if let bound, lane.cursor < count {
            end = lane.cursor + 1  // the oldest head is never past the bound
            batch.buffer.records.withUnsafeBufferPointer { records in
                while end < count && records[end].time.nanoseconds <= bound { end += 1 }
            }
        }
        let slice = Slice(lane: key, batch: batch, records: lane.cursor..<end)
        if end == count {
            lane.queue.removeFirst()
            lane.cursor = 0
        } else {
            lane.cursor = end
        }
        lanes[key] = lane
        return slice
    }
}
