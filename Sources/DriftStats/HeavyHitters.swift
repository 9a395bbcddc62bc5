/// The most frequent values of a stream with their counts, in bounded memory: the Misra–Gries summary with
/// ``capacity`` counters, kept in its mergeable form (Agarwal et al., "Mergeable summaries", 2012).
///
/// Up to 2·capacity counters are held; when full, the (capacity+1)-th largest count is subtracted from every
/// counter and those at zero or below are dropped — amortized O(1) per value. Each reported count c of a value
/// with true frequency f satisfies f − ``maxError`` ≤ c ≤ f, where `maxError` ≤ n / (capacity + 1); while the
/// stream has at most `capacity` distinct values the counts are exact (`maxError` is 0).
///
/// Counters are found through the value's XXH64 hash, which the caller usually has already (the distinct
/// counter needs it too), in a small open-addressing table: a value costs one hash, not a second one with
/// Swift's per-process SipHash. Values with the same hash are still told apart by comparing them.
public struct HeavyHitters: Sendable {
    public static let defaultCapacity = 64
    public let capacity: Int
    /// The total subtracted from every counter so far: the bound on how much any count is under its truth.
    public private(set) var maxError = 0
    /// Counters in the order their values first came (since the last reduction).
    private var values: [String] = []
    private var hashes: [UInt64] = []
    private var counts: [Int] = []
    /// Open addressing on the hash: slot → index + 1 (0: empty). At most half full.
    private var slots: [Int32]

    public init(capacity: Int = HeavyHitters.defaultCapacity) {
        self.capacity = capacity
        var size = 8
        while size < 4 * (2 * capacity + 1) { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
    }

    /// Values are told apart by their first ``maxValueBytes`` bytes, which bounds the memory whatever the input.
    public static let maxValueBytes = 256

    /// The counters, by value.
    public var counters: [String: Int] { Dictionary(uniqueKeysWithValues: zip(values, counts)) }

    public mutating func add(_ value: String, count: Int = 1) {
        var key = value.utf8Prefix(Self.maxValueBytes)
        key.withUTF8 { add(bytes: UnsafeRawBufferPointer($0), hash: XXH64.hash(UnsafeRawBufferPointer($0)), count: count) }
    }

    /// Adds the value spelled by `bytes` (valid UTF-8, at most ``maxValueBytes`` long) whose XXH64 hash is
    /// `hash`. A String is made only for a value not counted yet.
    public mutating func add(bytes: UnsafeRawBufferPointer, hash: UInt64, count: Int = 1) {
        switch probe(hash, { Self.spells($0, bytes) }) {
        case .found(let i): counts[i] += count
        case .empty(let slot):
            insert(String(decoding: bytes, as: UTF8.self), hash: hash, count: count, at: slot)
            if values.count > 2 * capacity { reduce() }
        }
    }

    private enum Probe {
        case found(Int)
        case empty(slot: Int)
    }

    /// The counter whose hash is `hash` and whose value `isValue` accepts, or the empty slot where it would go.
    private func probe(_ hash: UInt64, _ isValue: (String) -> Bool) -> Probe {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let i = Int(slots[slot]) - 1
            if hashes[i] == hash && isValue(values[i]) { return .found(i) }
            slot = (slot + 1) & mask
        }
        return .empty(slot: slot)
    }

    private mutating func insert(_ value: String, hash: UInt64, count: Int, at slot: Int) {
        slots[slot] = Int32(values.count + 1)
        values.append(value)
        hashes.append(hash)
        counts.append(count)
    }

    /// True when `value`'s UTF-8 is `bytes`.
    private static func spells(_ value: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        value.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(bytes) } ?? value.utf8.elementsEqual(bytes)
    }

    public mutating func merge(_ other: HeavyHitters) {
        for i in other.values.indices { addMerged(other.values[i], hash: other.hashes[i], count: other.counts[i]) }
        maxError += other.maxError
        if values.count > capacity { reduce() }
    }

    /// Adds a counter of a merged summary: it may take the table over 2·capacity until the merge reduces it.
    private mutating func addMerged(_ value: String, hash: UInt64, count: Int) {
        if 2 * (values.count + 1) > slots.count { rebuild(slotCount: slots.count * 2) }
        switch probe(hash, { $0 == value }) {
        case .found(let i): counts[i] += count
        case .empty(let slot): insert(value, hash: hash, count: count, at: slot)
        }
    }

    /// The `k` values with the largest counts, by count descending then value ascending.
    public func top(_ k: Int) -> [(value: String, count: Int)] {
        zip(values, counts).sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .prefix(k).map { (value: $0.0, count: $0.1) }
    }

    private mutating func reduce() {
        guard values.count > capacity else { return }
        let cut = counts.sorted()[counts.count - 1 - capacity]  // the (capacity+1)-th largest
        maxError += cut
        var kept = 0
        for i in values.indices where counts[i] > cut {
            values[kept] = values[i]
            hashes[kept] = hashes[i]
            counts[kept] = counts[i] - cut
            kept += 1
        }
        values.removeLast(values.count - kept)
        hashes.removeLast(hashes.count - kept)
        counts.removeLast(counts.count - kept)
        rebuild(slotCount: slots.count)
    }

    private mutating func rebuild(slotCount: Int) {
        slots = [Int32](repeating: 0, count: slotCount)
        let mask = slotCount - 1
        for i in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[i]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i + 1)
        }
    }
}

extension HeavyHitters: Hashable {
    /// Two summaries are equal when they hold the same counters and error, whatever order the values came in.
    public static func == (a: HeavyHitters, b: HeavyHitters) -> Bool {
        a.capacity == b.capacity && a.maxError == b.maxError && a.counters == b.counters
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(capacity)
        hasher.combine(maxError)
        hasher.combine(counters)
    }
}

extension HeavyHitters: Codable {
    private enum CodingKeys: String, CodingKey { case capacity, counters, maxError }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(capacity: try c.decode(Int.self, forKey: .capacity))
        maxError = try c.decode(Int.self, forKey: .maxError)
        for (value, count) in try c.decode([String: Int].self, forKey: .counters) {
            addMerged(value, hash: XXH64.hash(value), count: count)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(capacity, forKey: .capacity)
        try c.encode(counters, forKey: .counters)
        try c.encode(maxError, forKey: .maxError)
    }
}
