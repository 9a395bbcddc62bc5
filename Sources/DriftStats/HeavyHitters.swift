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
    /// The largest capacity a stored state may have.
    public static let maxCapacity = 1 << 16
    /// The total subtracted from every counter so far: the bound on how much any count is under its truth.
    public private(set) var maxError = 0
    /// The counted values' UTF-8, one after another, in the order they first came (since the last reduction):
    /// a String is made only when the counters are read. Against a String made per new value and compared as a
    /// String, aggregation of the benchmark (whose `merchant_id` is mostly new values) takes 12 ns per record less.
    private var text: [UInt8] = []
    /// The counters, in the order their values first came: one list, not one per field (its room is made when
    /// the table grows, and three lists took three allocations each time; a window of one of 1,000 models makes
    /// its heavy hitters from nothing).
    private var entries: [Entry] = []

    private struct Entry {
        var hash: UInt64
        var count: Int
        /// The value, as a range of `text`.
        var start: Int32
        var length: Int32
    }
    /// Open addressing on the hash: slot → index + 1 (0: empty). At most a quarter full as values are added (half
    /// while merging); it starts small and doubles as counters come, so that a window with a few values — or a
    /// numeric feature, which never has any — costs a few bytes, not the full table (thousands of models).
    private var slots: [Int32] = []  // none until the first value
    static let initialSlots = 16

    public init(capacity: Int = HeavyHitters.defaultCapacity) {
        self.capacity = capacity
    }

    /// Values are told apart by their first ``maxValueBytes`` bytes, which bounds the memory whatever the input.
    public static let maxValueBytes = 256

    /// How many counters there are: while none was ever dropped, the number of distinct values added.
    public var counterCount: Int { entries.count }
    /// The counters' hashes.
    var counterHashes: [UInt64] { entries.map(\.hash) }

    /// The counters, by value. Values spelled apart that are equal as Strings (`é` composed and decomposed) are
    /// counted apart here, and added together in this dictionary.
    public var counters: [String: Int] {
        Dictionary(entries.indices.map { (value(at: $0), entries[$0].count) }, uniquingKeysWith: +)
    }

    /// The counters as their values' bytes and counts, in the order of the bytes: the summary's state, whatever
    /// order the values came in, with values equal as Strings but spelled apart kept apart.
    var spelledCounters: [(bytes: [UInt8], count: Int)] {
        entries.indices.map { i in (withValue(at: i) { Array($0) }, entries[i].count) }
            .sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    }

    private func value(at i: Int) -> String {
        withValue(at: i) { String(decoding: $0, as: UTF8.self) }
    }

    private func withValue<R>(at i: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let e = entries[i]
        return text.withUnsafeBytes {
            body(UnsafeRawBufferPointer(rebasing: $0[Int(e.start)..<Int(e.start + e.length)]))
        }
    }

    public mutating func add(_ value: String, count: Int = 1) {
        var key = value.utf8Prefix(Self.maxValueBytes)
        key.withUTF8 {
            add(bytes: UnsafeRawBufferPointer($0), hash: XXH64.hash(UnsafeRawBufferPointer($0)), count: count)
        }
    }

    /// Adds the value spelled by `bytes` (valid UTF-8, at most ``maxValueBytes`` long) whose XXH64 hash is
    /// `hash`.
    public mutating func add(bytes: UnsafeRawBufferPointer, hash: UInt64, count: Int = 1) {
        if 4 * (entries.count + 1) > slots.count { rebuild(slotCount: max(Self.initialSlots, slots.count * 2)) }
        switch probe(hash, bytes) {
        case .found(let i): entries[i].count += count
        case .empty(let slot):
            insert(bytes, hash: hash, count: count, at: slot)
            if entries.count > 2 * capacity { reduce() }
        }
    }

    private enum Probe {
        case found(Int)
        case empty(slot: Int)
    }

    /// The counter whose hash is `hash` and whose value is `bytes`, or the empty slot where it would go.
    private func probe(_ hash: UInt64, _ bytes: UnsafeRawBufferPointer) -> Probe {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let i = Int(slots[slot]) - 1
            if entries[i].hash == hash && spells(i, bytes) { return .found(i) }
            slot = (slot + 1) & mask
        }
        return .empty(slot: slot)
    }

    /// True when counter `i`'s value is `bytes`.
    private func spells(_ i: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let e = entries[i]
        guard Int(e.length) == bytes.count else { return false }
        return text.withUnsafeBytes { stored in
            var k = 0
            while k < bytes.count {
                if stored[Int(e.start) + k] != bytes[k] { return false }
                k += 1
            }
            return true
        }
    }

    private mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, count: Int, at slot: Int) {
        slots[slot] = Int32(entries.count + 1)
        entries.append(Entry(hash: hash, count: count, start: Int32(text.count), length: Int32(bytes.count)))
        text.append(contentsOf: bytes)
    }

    public mutating func merge(_ other: HeavyHitters) {
        for i in other.entries.indices {
            other.withValue(at: i) { addMerged($0, hash: other.entries[i].hash, count: other.entries[i].count) }
        }
        maxError += other.maxError
        if entries.count > capacity { reduce() }
    }

    /// Adds a counter of a merged summary: it may take the table over 2·capacity until the merge reduces it.
    private mutating func addMerged(_ bytes: UnsafeRawBufferPointer, hash: UInt64, count: Int) {
        if 2 * (entries.count + 1) > slots.count { rebuild(slotCount: max(Self.initialSlots, slots.count * 2)) }
        switch probe(hash, bytes) {
        case .found(let i): entries[i].count += count
        case .empty(let slot): insert(bytes, hash: hash, count: count, at: slot)
        }
    }

    /// The `k` values with the largest counts, by count descending then value ascending.
    ///
    /// When every value is ASCII, the `k` are picked on the counters' bytes, whose order is then the Strings'
    /// order, and only they become Strings: every closed window lists its top values, and making a String of
    /// each of up to 128 counters and sorting them all was 2% of a replay of 1,000 models. Otherwise (Strings
    /// compare by canonical equivalence, not by bytes) all are made and sorted.
    public func top(_ k: Int) -> [(value: String, count: Int)] {
        guard k > 0 else { return [] }
        guard text.allSatisfy({ $0 < 0x80 }) else {
            return entries.indices.map { (value: value(at: $0), count: entries[$0].count) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
                .prefix(k).map { $0 }
        }
        return text.withUnsafeBytes { text in
            /// Counter `a` comes before counter `b`: a larger count, or the same count and smaller bytes.
            func precedes(_ a: Int, _ b: Int) -> Bool {
                let (x, y) = (entries[a], entries[b])
                if x.count != y.count { return x.count > y.count }
                return UnsafeRawBufferPointer(rebasing: text[Int(x.start)..<Int(x.start + x.length)])
                    .lexicographicallyPrecedes(
                        UnsafeRawBufferPointer(rebasing: text[Int(y.start)..<Int(y.start + y.length)]))
            }
            // The best `k` so far, in order: a counter goes in by insertion when it beats the last.
            var best: [Int] = []
            best.reserveCapacity(Swift.min(k, entries.count) + 1)
            for i in entries.indices {
                if best.count == k {
                    guard precedes(i, best[k - 1]) else { continue }
                    best.removeLast()
                }
                var at = best.count
                while at > 0 && precedes(i, best[at - 1]) { at -= 1 }
                best.insert(i, at: at)
            }
            return best.map { (value: value(at: $0), count: entries[$0].count) }
        }
    }

    private mutating func reduce() {
        guard entries.count > capacity else { return }
        let cut = entries.map(\.count).sorted()[entries.count - 1 - capacity]  // the (capacity+1)-th largest
        maxError += cut
        var kept = 0
        var textEnd = 0
        text.withUnsafeMutableBufferPointer { text in
            for i in entries.indices where entries[i].count > cut {
                // Kept values move towards the front, in order: a forward copy never overwrites unread bytes.
                let e = entries[i]
                for k in 0..<Int(e.length) { text[textEnd + k] = text[Int(e.start) + k] }
                entries[kept] = Entry(hash: e.hash, count: e.count - cut, start: Int32(textEnd), length: e.length)
                textEnd += Int(e.length)
                kept += 1
            }
        }
        text.removeLast(text.count - textEnd)
        entries.removeLast(entries.count - kept)
        rebuild(slotCount: slots.count)
    }

    private mutating func rebuild(slotCount: Int) {
        // The counters and their text get room for as many as the new table takes a quarter full, at once: grown
        // one append at a time from nothing, each list took seven allocations to reach 64 counters.
        let room = slotCount / 4
        if entries.capacity < room {
            let perValue = entries.isEmpty ? 8 : (text.count + entries.count - 1) / entries.count
            entries.reserveCapacity(room)
            text.reserveCapacity(Swift.min(room * perValue, room * Self.maxValueBytes))
        }
        slots = [Int32](repeating: 0, count: slotCount)
        let mask = slotCount - 1
        for i in entries.indices {
            var slot = Int(truncatingIfNeeded: entries[i].hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i + 1)
        }
    }
}

extension HeavyHitters: Hashable {
    /// Two summaries are equal when they hold the same counters and error, whatever order the values came in.
    public static func == (a: HeavyHitters, b: HeavyHitters) -> Bool {
        guard a.capacity == b.capacity, a.maxError == b.maxError, a.entries.count == b.entries.count else {
            return false
        }
        return zip(a.spelledCounters, b.spelledCounters).allSatisfy { $0.bytes == $1.bytes && $0.count == $1.count }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(capacity)
        hasher.combine(maxError)
        for c in spelledCounters {
            hasher.combine(c.bytes)
            hasher.combine(c.count)
        }
    }
}

extension HeavyHitters: Codable {
    private enum CodingKeys: String, CodingKey { case capacity, counters, values, counts, maxError }

    /// The counters are written as two lists, `values` and `counts`, in the order of the values' bytes. (A
    /// dictionary keyed by value, the form before, which is still read, cannot hold two values equal as Strings
    /// but spelled apart: writing one trapped.)
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let capacity = try c.decode(Int.self, forKey: .capacity)
        var counters: [(value: String, count: Int)]
        if let values = try c.decodeIfPresent([String].self, forKey: .values) {
            let counts = try c.decode([Int].self, forKey: .counts)
            guard values.count == counts.count else {
                throw DecodingError.dataCorruptedError(
                    forKey: .counts, in: c, debugDescription: "\(values.count) values but \(counts.count) counts")
            }
            counters = Array(zip(values, counts))
        } else {
            counters = try c.decode([String: Int].self, forKey: .counters).map { ($0.key, $0.value) }
        }
        let maxError = try c.decode(Int.self, forKey: .maxError)
        // A damaged or hostile state must not allocate a table for 10^12 counters, nor hold more than it may.
        guard (1...Self.maxCapacity).contains(capacity), counters.count <= 2 * capacity, maxError >= 0,
            counters.allSatisfy({ $0.count > 0 })
        else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "not a heavy-hitter state: capacity \(capacity), \(counters.count) counters"))
        }
        self.init(capacity: capacity)
        self.maxError = maxError
        for (value, count) in counters {
            var value = value
            value.withUTF8 {
                addMerged(UnsafeRawBufferPointer($0), hash: XXH64.hash(UnsafeRawBufferPointer($0)), count: count)
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let counters = spelledCounters
        try c.encode(capacity, forKey: .capacity)
        try c.encode(counters.map { String(decoding: $0.bytes, as: UTF8.self) }, forKey: .values)
        try c.encode(counters.map(\.count), forKey: .counts)
        try c.encode(maxError, forKey: .maxError)
    }
}
