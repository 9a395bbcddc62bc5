import DriftStats

/// The bins a numeric feature is compared on (DESIGN §5): edges at the reference's deciles p10 … p90,
/// duplicates merged, bins closed on the right and open at both ends: (−∞, e1], (e1, e2], …, (e_last, +∞).
/// Integer-valued features pile up on edges; closing on the right puts a value equal to an edge in the bin
/// below it, as numpy's `searchsorted(edges, x, side="left")` does.
public struct NumericBins: Hashable, Sendable, Codable {
    public let edges: [Double]

    public init(edges: [Double]) {
        var unique: [Double] = []
        for e in edges.sorted() where unique.last != e { unique.append(e) }
        self.edges = unique
    }

    /// Edges at the deciles of a reference sketch (numpy's `inverted_cdf` quantiles when the sketch is exact).
    public init?(deciles sketch: KLLSketch) {
        let qs = (1...9).map { Double($0) / 10 }
        let values = sketch.quantiles(qs).compactMap { $0 }
        guard values.count == 9 else { return nil }
        self.init(edges: values)
    }

    public var count: Int { edges.count + 1 }

    /// The bin of `x`: the number of edges strictly below it.
    @inlinable
    public func index(of x: Double) -> Int {
        var lo = 0
        var hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Bin counts of a weighted sample (a sketch's items).
    public func counts(_ items: [(value: Double, weight: Int)]) -> [Int] {
        var counts = [Int](repeating: 0, count: count)
        for item in items { counts[index(of: item.value)] += item.weight }
        return counts
    }
}
