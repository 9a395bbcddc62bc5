/// The categorical statistics of one feature in one window, in bounded memory: the exact count, the most
/// frequent values (Misra–Gries, exact while there are at most 64 distinct values) and the number of distinct
/// values (exact up to 2,048, HyperLogLog above).
///
/// While the heavy hitters have never dropped a counter, their counters are the distinct values, and no set of
/// hashes is kept beside them: a window of a few hundred values (thousands of models) keeps its values once. The
/// set starts, seeded with the counters' hashes, just before the first drop could happen, or at the first value
/// longer than the counters keep.
public struct CategoricalAccumulator: Sendable {
    public private(set) var count: Int = 0
    public private(set) var heavyHitters: HeavyHitters
    /// Nil while ``heavyHitters`` counts every distinct value.
    private var distinctSet: DistinctCounter?

    public init(topCapacity: Int = HeavyHitters.defaultCapacity) {
        heavyHitters = HeavyHitters(capacity: topCapacity)
    }

    /// The distinct values' counter: the heavy hitters' hashes while they count every value.
    public var distinctCounter: DistinctCounter {
        distinctSet ?? DistinctCounter(exactHashes: heavyHitters.counterHashes)
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
        if bytes.count <= HeavyHitters.maxValueBytes {
            // The counter a new value would add could make the heavy hitters drop some, or take the set past
            // its exact limit: the set starts before.
            if distinctSet == nil && heavyHitters.counterCount >= Self.setAt(heavyHitters.capacity) {
                distinctSet = distinctCounter
            }
            distinctSet?.add(hash: hash)
            heavyHitters.add(bytes: bytes, hash: hash)
        } else {
            // The heavy hitters keep the value's first bytes, whose hash is not the value's.
            if distinctSet == nil { distinctSet = distinctCounter }
            distinctSet!.add(hash: hash)
            heavyHitters.add(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The counters from which the set is kept apart: as many as the heavy hitters hold before a drop, at most
    /// the distinct counter's exact limit.
    static func setAt(_ capacity: Int) -> Int { min(2 * capacity, DistinctCounter.exactLimit) }

    public mutating func merge(_ other: CategoricalAccumulator) {
        var distinct = distinctCounter
        distinct.merge(other.distinctCounter)
        count += other.count
        heavyHitters.merge(other.heavyHitters)
        distinctSet = distinct
    }

    public var distinct: Int { distinctSet?.estimate ?? heavyHitters.counterCount }

    /// The `k` most frequent values, by count descending then value ascending (a deterministic order).
    public func top(_ k: Int) -> [(value: String, count: Int)] {
        heavyHitters.top(k)
    }
}

extension CategoricalAccumulator: Hashable {
    /// Equal when the counts, the heavy hitters and the distinct values are, whether or not the set was started.
    public static func == (a: CategoricalAccumulator, b: CategoricalAccumulator) -> Bool {
        a.count == b.count && a.heavyHitters == b.heavyHitters && a.distinctCounter == b.distinctCounter
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(heavyHitters)
        hasher.combine(distinctCounter)
    }
}

extension CategoricalAccumulator: Codable {
    private enum CodingKeys: String, CodingKey { case count, heavyHitters, distinctCounter }

    /// The checkpoint's form is the same with or without the set: the distinct counter is always written.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(Int.self, forKey: .count)
        heavyHitters = try c.decode(HeavyHitters.self, forKey: .heavyHitters)
        distinctSet = try c.decode(DistinctCounter.self, forKey: .distinctCounter)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(heavyHitters, forKey: .heavyHitters)
        try c.encode(distinctCounter, forKey: .distinctCounter)
    }
}
