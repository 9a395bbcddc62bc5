import DequeModule
import DriftStats

/// What a checkpoint keeps of the label join: every pending prediction and label in the order they came, the
/// windows not yet final, and the join's time, so that a restart after `kill -9` loses and repeats no label.
extension LabelJoin {
    public struct State: Sendable, Codable {
        var models: [String]
        var pendingKeys: [Key]
        var pending: [Pending]
        var orphanKeys: [Key]
        var orphans: [Orphan]
        /// Absent in checkpoints written before joined requests were remembered.
        var joinedKeys: [Key]?
        var joinedTimes: [Int64]?
        var windowKeys: [WindowKey]
        var windows: [Window]
        var now: Int64
        var finalThrough: Int64
        var counts: Counts
    }

    public var state: State {
        let pendingKeys = Array(pendingOrder.filter { pending[$0] != nil })
        let orphanKeys = Array(orphanOrder.filter { orphans[$0] != nil })
        let joinedKeys = Array(joinedOrder.filter { joined[$0] != nil })
        let windowKeys = windows.keys.sorted()
        return State(
            models: models, pendingKeys: pendingKeys, pending: pendingKeys.map { pending[$0]! },
            orphanKeys: orphanKeys, orphans: orphanKeys.map { orphans[$0]! }, joinedKeys: joinedKeys,
            joinedTimes: joinedKeys.map { joined[$0]! }, windowKeys: windowKeys,
            windows: windowKeys.map { windows[$0]! }, now: now, finalThrough: finalThrough, counts: counts)
    }

    /// Continues from a checkpoint's state; false (and nothing changed) when it does not hold together.
    public mutating func restore(_ s: State) -> Bool {
        guard s.pendingKeys.count == s.pending.count, s.orphanKeys.count == s.orphans.count,
            s.windowKeys.count == s.windows.count, s.joinedKeys?.count == s.joinedTimes?.count,
            s.pending.allSatisfy({ Int($0.model) < s.models.count && $0.model >= 0 }),
            s.windowKeys.allSatisfy({ Int($0.model) < s.models.count && Int($0.spec) < specs.count && $0.model >= 0 })
        else { return false }
        models = s.models
        modelIDs = Dictionary(s.models.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        pending = Dictionary(zip(s.pendingKeys, s.pending), uniquingKeysWith: { a, _ in a })
        pendingOrder = Deque(s.pendingKeys)
        orphans = Dictionary(zip(s.orphanKeys, s.orphans), uniquingKeysWith: { a, _ in a })
        orphanOrder = Deque(s.orphanKeys)
        joined = Dictionary(zip(s.joinedKeys ?? [], s.joinedTimes ?? []), uniquingKeysWith: { a, _ in a })
        joinedOrder = Deque(s.joinedKeys ?? [])
        windows = Dictionary(zip(s.windowKeys, s.windows), uniquingKeysWith: { a, _ in a })
        earliestEnd = s.windowKeys.map { $0.start + specs[Int($0.spec)].size.nanoseconds }.min() ?? .max
        now = s.now
        finalThrough = s.finalThrough
        counts = s.counts
        return true
    }
}
