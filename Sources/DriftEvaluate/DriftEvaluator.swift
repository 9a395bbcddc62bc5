import DriftStats

/// Compares one feature of one window with its reference (DESIGN §5). Pure: the window's accumulator and the
/// reference in, the `drift` values out.
public enum DriftEvaluator {
    /// What a window says of a feature, as the measures need it: from an accumulator, or merged from profiles.
    public struct Window {
        public var records: Int
        public var missing: Int
        public var invalid: Int
        /// Counts on the reference's bins.
        public var bins: [Int]
        /// The numeric values' quantile sketch, as weighted items (numeric only).
        public var items: () -> [(value: Double, weight: Int)]
        /// Finite numeric values, and those outside the reference's range.
        public var finite: Int
        public var outOfRange: Int

        public init(
            records: Int, missing: Int, invalid: Int, bins: [Int],
            items: @escaping () -> [(value: Double, weight: Int)],
            finite: Int, outOfRange: Int
        ) {
            (self.records, self.missing, self.invalid, self.bins) = (records, missing, invalid, bins)
            (self.items, self.finite, self.outOfRange) = (items, finite, outOfRange)
        }
    }

    public static func measure(_ a: FeatureAccumulator, records: Int, reference r: FeatureReference) -> DriftValues {
        measure(
            Window(
                records: records, missing: a.missing(as: r.type, records: records), invalid: a.invalid(as: r.type),
                bins: a.bins, items: { a.numeric.sketch.weightedItems() }, finite: a.numeric.moments.count,
                outOfRange: a.outOfRange), reference: r)
    }

    public static func measure(_ w: Window, reference r: FeatureReference) -> DriftValues {
        var d = DriftValues()
        if w.records > 0 {
            d.missingRateChange = Double(w.missing) / Double(w.records) - r.missingRate
            d.invalidRateChange = Double(w.invalid) / Double(w.records) - r.invalidRate
        }
        guard w.bins.count == r.binCounts.count, !w.bins.isEmpty else { return d }
        d.psi = DriftMeasures.psi(window: w.bins, reference: r.binCounts)
        d.js = DriftMeasures.jensenShannon(window: w.bins, reference: r.binCounts)
        switch r.type {
        case .numeric:
            let window = w.items()
            let reference = r.sketchItems
            d.ks = DriftMeasures.kolmogorovSmirnov(window, reference)
            d.wasserstein = DriftMeasures.wasserstein(window, reference)
            if let distance = d.wasserstein, let std = r.std, std > 0 { d.wassersteinNorm = distance / std }
            if w.finite > 0 { d.outOfRange = Double(w.outOfRange) / Double(w.finite) }
        case .categorical:
            d.chi2P = DriftMeasures.chiSquarePValue(window: w.bins, reference: r.binCounts)
        }
        return d
    }
}
