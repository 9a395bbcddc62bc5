/// The most frequent values of a stream with their counts, in bounded memory: the Misra–Gries summary with
/// ``capacity`` counters, kept in its mergeable form (Agarwal et al., "Mergeable summaries", 2012).
///
/// Up to 2·capacity counters are held; when full, the (capacity+1)-th largest count is subtracted from every
/// counter and those at zero or below are dropped — amortized O(1) per value. Each reported count c of a value
/// with true frequency f satisfies f − ``maxError`` ≤ c ≤ f, where `maxError` ≤ n / (capacity + 1); while the
/// stream has at most `capacity` distinct values the counts are exact (`maxError` is 0).
public struct HeavyHitters: Hashable, Sendable, Codable {
    public static let defaultCapacity = 64
    public let capacity: Int
    public private(set) var counters: [String: Int] = [:]
    /// The total subtracted from every counter so far: the bound on how much any count is under its truth.
    public private(set) var maxError = 0

    public init(capacity: Int = HeavyHitters.defaultCapacity) {
        self.capacity = capacity
    }

    /// Values are told apart by their first ``maxValueBytes`` bytes, which bounds the memory whatever the input.
    public static let maxValueBytes = 256

    public mutating func add(_ value: String, count: Int = 1) {
        counters[value.utf8Prefix(Self.maxValueBytes), default: 0] += count
        if counters.count > 2 * capacity { reduce() }
    }

    public mutating func merge(_ other: HeavyHitters) {
        for (v, c) in other.counters { counters[v, default: 0] += c }
        maxError += other.maxError
        if counters.count > capacity { reduce() }
    }

    /// The `k` values with the largest counts, by count descending then value ascending.
    public func top(_ k: Int) -> [(value: String, count: Int)] {
        counters.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(k).map { (value: $0.key, count: $0.value) }
    }

    private mutating func reduce() {
        guard counters.count > capacity else { return }
        let counts = counters.values.sorted(by: >)
        let cut = counts[capacity]
        maxError += cut
        counters = counters.compactMapValues { $0 > cut ? $0 - cut : nil }
    }
}
