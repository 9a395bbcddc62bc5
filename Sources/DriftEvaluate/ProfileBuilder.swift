import DriftCore
import DriftStats

/// Builds a ``FeatureReference`` from what a pass over the reference data accumulated (pure).
///
/// Categorical features keep every category as a bin while they have at most ``maxCategories`` distinct values;
/// above that (user ids, merchant ids) only the ``highCardinalityCategories`` most frequent are bins and the rest
/// share `other`, so that sampling noise in a long tail is not taken for drift.
public enum ProfileBuilder {
    public static let maxCategories = 100
    public static let highCardinalityCategories = 20
    /// Heavy-hitter capacity while profiling: large enough that every category of a ≤ 100-value feature is exact.
    public static let profilingTopCapacity = 256
    /// Features with at most this many distinct values list them all; above, a Bloom filter (1% false positives).
    public static let maxKnownListed = 10_000

    /// The bin definitions and summary statistics; bin counts and known values come from a second pass.
    public static func reference(for a: FeatureAccumulator, records: Int, type: FeatureType) -> FeatureReference {
        var r = FeatureReference(
            type: type, records: records, count: a.count(as: type),
            missing: a.missing(as: type, records: records),
            invalid: a.invalid(as: type))
        switch type {
        case .numeric:
            let m = a.numeric.moments
            if m.count > 0 {
                r.mean = m.mean
                r.std = m.populationStandardDeviation
                r.min = m.min
                r.max = m.max
                r.quantiles = a.numeric.sketch.quantiles(FeatureSummary.quantileLevels)
            }
            r.bins = NumericBins(deciles: a.numeric.sketch)
            let items = a.numeric.sketch.weightedItems()
            r.sketchValues = items.map(\.value)
            r.sketchWeights = items.map(\.weight)
        case .categorical:
            let distinct = a.categorical.distinct
            r.distinct = distinct
            let exact = a.categorical.heavyHitters.maxError == 0
            let keep = exact && distinct <= maxCategories ? distinct : highCardinalityCategories
            r.categories = a.categorical.top(keep).map(\.value)
        }
        return r
    }
}

/// The second pass over the reference: exact counts on the bins the first pass defined, and the set of values
/// seen (for `unseen`).
public struct ReferenceCounter: Sendable {
    public private(set) var reference: FeatureReference
    private let binner: FeatureBinner
    private var counts: [Int]
    private var known: Set<String>? = []
    private var filter: BloomFilter?

    public init(_ reference: FeatureReference) {
        self.reference = reference
        binner = FeatureBinner(reference)
        counts = [Int](repeating: 0, count: binner.binCount)
        if reference.type == .categorical, (reference.distinct ?? 0) > ProfileBuilder.maxKnownListed {
            known = nil
            filter = BloomFilter(capacity: (reference.distinct ?? 0) * 6 / 5)
        }
    }

    public mutating func add(number x: Double) {
        guard x.isFinite, let placed = binner.place(number: x) else { return }
        counts[placed.bin] += 1
    }

    public mutating func add(category value: String) {
        guard let placed = binner.place(category: value) else { return }
        counts[placed.bin] += 1
        if known != nil { known!.insert(value) } else { filter?.insert(value) }
    }

    /// The finished reference.
    public func finished() -> FeatureReference {
        var r = reference
        r.binCounts = counts.map(Double.init)
        if reference.type == .categorical {
            r.known = known.map { $0.sorted() }
            r.knownFilter = filter
        }
        return r
    }
}
