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
        var value = value
        value.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Adds the value spelled by `bytes` (valid UTF-8): hashed once, for both the heavy hitters and the
    /// distinct count.
    public mutating func add(bytes: UnsafeRawBufferPointer) {
        count += 1
        let hash = XXH64.hash(bytes)
        distinctCounter.add(hash: hash)
        if bytes.count <= HeavyHitters.maxValueBytes {
            heavyHitters.add(bytes: bytes, hash: hash)
        } else {
            heavyHitters.add(String(decoding: bytes, as: UTF8.self))
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
