import DriftStats

/// Compares one feature of one window with its reference (DESIGN §5). Pure: the window's accumulator and the
/// reference in, the `drift` values out.
public enum DriftEvaluator {
    public static func measure(_ a: FeatureAccumulator, records: Int, reference r: FeatureReference) -> DriftValues {
        var d = DriftValues()
        let missing = a.missing(as: r.type, records: records)
        if records > 0 {
            d.missingRateChange = Double(missing) / Double(records) - r.missingRate
            d.invalidRateChange = Double(a.invalid(as: r.type)) / Double(records) - r.invalidRate
        }
        guard a.bins.count == r.binCounts.count, !a.bins.isEmpty else { return d }
        d.psi = DriftMeasures.psi(window: a.bins, reference: r.binCounts)
        d.js = DriftMeasures.jensenShannon(window: a.bins, reference: r.binCounts)
        switch r.type {
        case .numeric:
            let window = a.numeric.sketch.weightedItems()
            let reference = r.sketchItems
            d.ks = DriftMeasures.kolmogorovSmirnov(window, reference)
            d.wasserstein = DriftMeasures.wasserstein(window, reference)
            if let w = d.wasserstein, let std = r.std, std > 0 { d.wassersteinNorm = w / std }
            let finite = a.numeric.moments.count
            if finite > 0 { d.outOfRange = Double(a.outOfRange) / Double(finite) }
        case .categorical:
            d.chi2P = DriftMeasures.chiSquarePValue(window: a.bins, reference: r.binCounts)
        }
        return d
    }
}
