import DriftCore

/// A KLL doubles sketch in Apache DataSketches' own state: k (200 by default) with its level capacities, levels
/// above 0 sorted, n = Σ population(h) · 2^h, true min and max. Made from driftd's ``KLLSketch`` (levels carried
/// over, then compacted as DataSketches compacts until they fit its capacities), read from and written to
/// DataSketches' serialized layout (``serialized()``, ``init(image:)``), and merged — so that Spark SQL's
/// `kll_merge_agg_double`, Druid or Python's `datasketches` read and merge what driftd writes (DESIGN §6). Pure;
/// compaction coins from a fixed seed.
public struct DataSketchesKLL: Hashable, Sendable {
    public static let defaultK = 200
    /// DataSketches' minimum level width.
    public static let m = 8
    public let k: Int
    /// Items by level: an item at level h stands for 2^h values. Level 0 is kept sorted too.
    public internal(set) var levels: [[Double]]
    public internal(set) var n: Int
    public internal(set) var min: Double
    public internal(set) var max: Double
    var coin: UInt64 = 0x6473_6B6C_6C5F_3230

    public init(k: Int = DataSketchesKLL.defaultK) {
        self.k = k
        levels = [[]]
        n = 0
        min = .nan
        max = .nan
    }

    /// driftd's sketch as DataSketches' state at `k`: the same items at the same levels, compacted to fit.
    public init(_ sketch: KLLSketch, k: Int = DataSketchesKLL.defaultK) {
        self.init(k: k)
        guard sketch.count > 0 else { return }
        levels = sketch.levels.map { $0.sorted() }
        n = sketch.count
        min = sketch.min
        max = sketch.max
        fit()
    }

    /// Level h's capacity with `numLevels` levels: DataSketches' `level_capacity` exactly (its readers recompute
    /// the buffer size from it and refuse a sketch whose size differs).
    public static func capacity(k: Int, numLevels: Int, height: Int) -> Int {
        let depth = numLevels - height - 1
        func aux(_ k: UInt64, _ depth: Int) -> UInt64 {
            var power: UInt64 = 1
            for _ in 0..<depth { power *= 3 }
            return (((2 * k) << UInt64(depth)) / power + 1) >> 1
        }
        let cap = depth <= 30 ? aux(UInt64(k), depth) : aux(aux(UInt64(k), depth / 2), depth - depth / 2)
        return Swift.max(m, Int(cap))
    }

    /// Σ of the capacities: the size of DataSketches' item buffer.
    public var totalCapacity: Int {
        (0..<levels.count).reduce(0) { $0 + Self.capacity(k: k, numLevels: levels.count, height: $1) }
    }

    public var retained: Int { levels.reduce(0) { $0 + $1.count } }

    /// Compacts, lowest full level first, until the items fit DataSketches' buffer (as its own updates keep them).
    mutating func fit() {
        while retained > totalCapacity {
            let count = levels.count
            let h =
                (0..<count).first { levels[$0].count >= Self.capacity(k: k, numLevels: count, height: $0) }
                ?? (0..<count).first { levels[$0].count >= 2 }!
            compact(h)
        }
    }

    /// Halves level h: an odd item stays, every other one of the rest (odd or even positions by the coin) goes
    /// up, weighing twice as much; n is unchanged.
    mutating func compact(_ h: Int) {
        if h + 1 == levels.count { levels.append([]) }
        var level = levels[h]
        let keep = level.count % 2 == 1 ? [level.removeFirst()] : []
        let offset = Int(SplitMix64.next(&coin) & 1)
        let promoted = stride(from: offset, to: level.count, by: 2).map { level[$0] }
        levels[h] = keep
        levels[h + 1] = Self.merged(levels[h + 1], promoted)
    }

    static func merged(_ a: [Double], _ b: [Double]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] <= b[j] {
                out.append(a[i])
                i += 1
            } else {
                out.append(b[j])
                j += 1
            }
        }
        out += a[i...]
        out += b[j...]
        return out
    }

    /// The union of two sketches of the same k: every level's items together, then compacted to fit.
    public mutating func merge(_ other: DataSketchesKLL) {
        guard other.n > 0 else { return }
        if n == 0 {
            let coin = self.coin
            self = other
            self.coin = coin
            return
        }
        while levels.count < other.levels.count { levels.append([]) }
        for h in other.levels.indices { levels[h] = Self.merged(levels[h], other.levels[h]) }
        n += other.n
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        fit()
    }

    /// Equal states: the same k, items, n and extremes (NaN extremes of empty sketches alike); the coin is not
    /// state.
    public static func == (a: DataSketchesKLL, b: DataSketchesKLL) -> Bool {
        a.k == b.k && a.n == b.n && a.levels == b.levels && a.min.bitPattern == b.min.bitPattern
            && a.max.bitPattern == b.max.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(k)
        hasher.combine(n)
        hasher.combine(levels)
    }

    /// Every retained item with its weight (2^level), in ascending order: what the drift measures compare.
    public func weightedItems() -> [(value: Double, weight: Int)] {
        var items: [(value: Double, weight: Int)] = []
        for (h, level) in levels.enumerated() { items += level.map { (value: $0, weight: 1 << h) } }
        items.sort { $0.value < $1.value }
        return items
    }

    /// The smallest retained value v whose cumulative weight reaches q · n (DataSketches' inclusive rule).
    public func quantile(_ q: Double) -> Double? { quantiles([q])[0] }

    /// ``quantile(_:)`` at each of `qs`, the items gathered and sorted once.
    public func quantiles(_ qs: [Double]) -> [Double?] {
        guard n > 0 else { return qs.map { _ in nil } }
        let items = weightedItems()  // the same one sort for every level asked
        let total = Double(items.reduce(0) { $0 + $1.weight })
        return qs.map { q in
            let target = (q * total).rounded(.up)
            var cumulative = 0
            for item in items {
                cumulative += item.weight
                if Double(cumulative) >= target { return item.value }
            }
            return items.last?.value
        }
    }
}
