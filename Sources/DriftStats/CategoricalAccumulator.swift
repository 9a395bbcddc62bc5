/// The categorical statistics of one feature in one window: exact counts per value.
///
/// Exact and therefore unbounded in the number of distinct values; the sketch-backed version with a fixed
/// memory bound replaces the storage, not the interface.
public struct CategoricalAccumulator: Hashable, Sendable {
    public private(set) var count: Int = 0
    public private(set) var counts: [String: Int] = [:]

    public init() {}

    public mutating func add(_ value: String) {
        count += 1
        counts[value, default: 0] += 1
    }

    public mutating func merge(_ other: CategoricalAccumulator) {
        count += other.count
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    public var distinct: Int { counts.count }

    /// The `k` most frequent values, by count descending then value ascending (a deterministic order).
    public func top(_ k: Int) -> [(value: String, count: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(k).map { (value: $0.key, count: $0.value) }
    }
}
