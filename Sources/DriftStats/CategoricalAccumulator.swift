/// The categorical statistics of one feature in one window, in bounded memory: the exact count, the most
/// frequent values (Misra–Gries, exact while there are at most 64 distinct values) and the number of distinct
/// values (exact up to 2,048, HyperLogLog above).
///
/// While the heavy hitters have never dropped a counter, their counters are the distinct values, and no set of
/// hashes is kept beside them: a window of a few hundred values (thousands of models) keeps its values once. The
/// set starts, seeded with the counters' hashes, just before the first drop could happen, or at the first value
/// longer than the counters keep.
///
/// Values are counted a few dozen at a time: each is noted in a short log, and the log is applied when it is full
/// or when the state is read. A window of one of a thousand models gets a handful of values per batch, and each
/// reached for the counters' tables cold in the cache (half of the aggregation's time); applied together, the
/// tables are fetched once for many values. The state read is the same as if each value had been applied at once.
public struct CategoricalAccumulator: Sendable {
    public private(set) var count: Int = 0
    private var counted: HeavyHitters
    /// Nil while the heavy hitters count every distinct value.
    private var distinctSet: DistinctCounter?
    /// Values not yet applied, each its length (4 bytes, little-endian) then its UTF-8: the first `logUsed` bytes
    /// of this room, which grows as an array's capacity does. Values are copied in with `copyMemory`:
    /// `append(contentsOf:)` of a raw buffer took 135 instructions for a value of a few bytes, twice a value.
    private var log: [UInt8] = []
    private var logUsed = 0
    private var logged = 0
    static let logLimit = 64
    static let logBytes = 4096
    /// Bytes of values logged and not yet applied.
    var loggedBytes: Int { logUsed }

    public init(topCapacity: Int = HeavyHitters.defaultCapacity) {
        counted = HeavyHitters(capacity: topCapacity)
    }

    /// The most frequent values.
    public var heavyHitters: HeavyHitters { logged == 0 ? counted : settled.counted }

    /// The distinct values' counter: the heavy hitters' hashes while they count every value.
    public var distinctCounter: DistinctCounter {
        guard logged == 0 else { return settled.distinctCounter }
        return distinctSet ?? DistinctCounter(exactHashes: counted.counterHashes)
    }

    /// This state with its logged values applied.
    var settled: CategoricalAccumulator {
        var c = self
        c.settle()
        return c
    }

    public mutating func add(_ value: String) {
        var value = value
        value.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Adds the value spelled by `bytes` (valid UTF-8) at once.
    public mutating func add(bytes: UnsafeRawBufferPointer) {
        settle()
        count += 1
        apply(bytes)
    }

    /// Adds the value spelled by `bytes` (valid UTF-8) to the log: for values that come a few at a time to many
    /// accumulators (windows of many models), whose tables are cold in the cache.
    public mutating func log(bytes: UnsafeRawBufferPointer) {
        count += 1
        let n = bytes.count
        let used = logUsed + 4 + n
        if log.count < used {
            // Grown as appending grows it (the capacity doubles), and all of the capacity taken into the room. It
            // starts with room for a quarter of the values logged before they are applied, as long as this one
            // (at most `logBytes`): grown from nothing, a log took six allocations to reach its 64 values (171,000
            // growths in 200,000 records of 1,000 models), and a log that is applied comes back to nothing.
            if log.isEmpty {
                log.reserveCapacity(Swift.max(used, Swift.min(Self.logBytes, Self.logLimit / 4 * (4 + n))))
            }
            log.append(contentsOf: repeatElement(0, count: used - log.count))
            log.append(contentsOf: repeatElement(0, count: log.capacity - log.count))
        }
        log.withUnsafeMutableBytes { room in
            room.storeBytes(of: UInt32(n).littleEndian, toByteOffset: logUsed, as: UInt32.self)
            if n > 0 { (room.baseAddress! + logUsed + 4).copyMemory(from: bytes.baseAddress!, byteCount: n) }
        }
        logUsed = used
        logged += 1
        if logged == Self.logLimit || logUsed > Self.logBytes { settle() }
    }

    /// Applies the logged values, in the order they came.
    public mutating func settle() {
        guard logged > 0 else { return }
        // Taken out (no copy while it is read), and not kept: thousands of windows' logs would hold their room.
        var log: [UInt8] = []
        swap(&log, &self.log)
        let used = logUsed
        logUsed = 0
        log.withUnsafeBytes { all in
            var i = 0
            while i < used {
                let n = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
                apply(UnsafeRawBufferPointer(rebasing: all[(i + 4)..<(i + 4 + n)]))
                i += 4 + n
            }
        }
        logged = 0
    }

    /// Counts one value: hashed once, for both the heavy hitters and the distinct count.
    private mutating func apply(_ bytes: UnsafeRawBufferPointer) {
        let hash = XXH64.hash(bytes)
        if bytes.count <= HeavyHitters.maxValueBytes {
            // The counter a new value would add could make the heavy hitters drop some, or take the set past
            // its exact limit: the set starts before.
            if distinctSet == nil && counted.counterCount >= Self.setAt(counted.capacity) {
                distinctSet = DistinctCounter(exactHashes: counted.counterHashes)
            }
            distinctSet?.add(hash: hash)
            counted.add(bytes: bytes, hash: hash)
        } else {
            // The heavy hitters keep the value's first bytes, whose hash is not the value's.
            if distinctSet == nil { distinctSet = DistinctCounter(exactHashes: counted.counterHashes) }
            distinctSet!.add(hash: hash)
            counted.add(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The counters from which the set is kept apart: as many as the heavy hitters hold before a drop, at most
    /// the distinct counter's exact limit.
    static func setAt(_ capacity: Int) -> Int { min(2 * capacity, DistinctCounter.exactLimit) }

    public mutating func merge(_ other: CategoricalAccumulator) {
        settle()
        let other = other.logged == 0 ? other : other.settled
        count += other.count
        // Neither side ever dropped a counter, so their counters are their distinct values. While the union
        // cannot make the merge drop some (more than `capacity`) nor pass the point where `apply` starts the set,
        // the merged counters are its distinct values, and no set is made: a 5m window of a small model, fed
        // from its 1m windows, had built and merged two sets of hashes per feature.
        if distinctSet == nil && other.distinctSet == nil
            && counted.counterCount + other.counted.counterCount <= min(counted.capacity, Self.setAt(counted.capacity))
        {
            counted.merge(other.counted)
            return
        }
        var distinct = distinctCounter
        distinct.merge(other.distinctCounter)
        counted.merge(other.counted)
        distinctSet = distinct
    }

    public var distinct: Int {
        guard logged == 0 else { return settled.distinct }
        return distinctSet?.estimate ?? counted.counterCount
    }

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
        counted = try c.decode(HeavyHitters.self, forKey: .heavyHitters)
        distinctSet = try c.decode(DistinctCounter.self, forKey: .distinctCounter)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(heavyHitters, forKey: .heavyHitters)
        try c.encode(distinctCounter, forKey: .distinctCounter)
    }
}
