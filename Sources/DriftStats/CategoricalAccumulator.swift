/// The categorical statistics of one feature in one window, in bounded memory: the exact count, the most
/// frequent values (Misra–Gries, exact while there are at most 64 distinct values) and the number of distinct
/// values (exact up to 2,048, HyperLogLog above).
public struct CategoricalAccumulator: Hashable, Sendable, Codable {
    public private(set) var count: Int = 0
    public private(set) var heavyHitters: HeavyHitters
    public private(set) var distinctCounter = DistinctCounter()

    public init(topCapacity: Int = HeavyHitters.defaultCapacity) {
        heavyHitters = HeavyHitters(capacity: topCapacity)
    }

    public mutating func add(_ value: String) {
        count += 1
        let hash = XXH64.hash(value)
        distinctCounter.add(hash: hash)
        if value.utf8.count <= HeavyHitters.maxValueBytes {
            heavyHitters.add(value, hash: hash)
        } else {
            heavyHitters.add(value)
        }
    }

    public mutating func merge(_ other: CategoricalAccumulator) {
        count += other.count
        heavyHitters.merge(other.heavyHitters)
        distinctCounter.merge(other.distinctCounter)
    }

    public var distinct: Int { distinctCounter.estimate }

    /// The `k` most frequent values, by count descending then value ascending (a deterministic order).
    public func top(_ k: Int) -> [(value: String, count: Int)] {
        heavyHitters.top(k)
    }
}
