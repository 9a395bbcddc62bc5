import DriftCore
import DriftStats

/// What the reference profile knows about one feature: enough to bin, compare and check a window against it
/// without the reference data. Field names are the profile's file format (docs/statistics.md).
public struct FeatureReference: Hashable, Sendable, Codable {
    public var type: FeatureType
    /// Records of the model in the reference.
    public var records: Int
    public var count: Int
    public var missing: Int
    public var invalid: Int

    // Numeric
    public var mean: Double?
    /// Population standard deviation (n), the scale of the normed Wasserstein distance.
    public var std: Double?
    public var min: Double?
    public var max: Double?
    public var quantiles: [Double?]?
    public var bins: NumericBins?
    /// The reference's KLL sketch, as sorted values with weights: the reference side of KS and Wasserstein.
    public var sketchValues: [Double]?
    public var sketchWeights: [Int]?

    // Categorical
    /// The categories compared one by one; every other value falls in a last `other` bin.
    public var categories: [String]?
    public var distinct: Int?
    /// Every value the reference saw, when there were few enough to list…
    public var known: [String]?
    /// …otherwise a Bloom filter of them.
    public var knownFilter: BloomFilter?

    /// Reference counts on the bins (numeric: decile bins; categorical: categories then `other`).
    public var binCounts: [Double] = []
    /// Adaptive thresholds: each measure's mean + 3σ over the reference cut into window-sized chunks.
    public var thresholds: [String: Double] = [:]

    public init(type: FeatureType, records: Int, count: Int, missing: Int, invalid: Int) {
        self.type = type
        self.records = records
        self.count = count
        self.missing = missing
        self.invalid = invalid
    }

    public var missingRate: Double { records > 0 ? Double(missing) / Double(records) : 0 }
    public var invalidRate: Double { records > 0 ? Double(invalid) / Double(records) : 0 }

    /// The reference sketch's weighted items.
    public var sketchItems: [(value: Double, weight: Int)] {
        guard let values = sketchValues, let weights = sketchWeights else { return [] }
        return zip(values, weights).map { (value: $0, weight: $1) }
    }
}
