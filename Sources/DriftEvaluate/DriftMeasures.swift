#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The drift measures of DESIGN §5, as pure functions, defined so that each can be checked against scipy.
public enum DriftMeasures {
    /// Proportions of 0 are replaced by this before PSI's logarithm (DESIGN §5).
    public static let psiFloor = 1e-4

    /// Population stability index: Σ (w − r) · ln(w / r) over bins, from counts (normalized here), with
    /// zero proportions replaced by 1e-4. Nil when either side has no values.
    public static func psi(window: [Int], reference: [Double]) -> Double? {
        guard let w = proportions(window), let r = proportions(reference) else { return nil }
        var total = 0.0
        for (wi, ri) in zip(w, r) {
            let a = wi == 0 ? psiFloor : wi
            let b = ri == 0 ? psiFloor : ri
            total += (a - b) * log(a / b)
        }
        return total
    }

    /// Jensen–Shannon distance in base 2 (scipy.spatial.distance.jensenshannon(p, q, base=2)): the square root
    /// of the mean Kullback–Leibler divergence of each side from their midpoint. Between 0 and 1.
    public static func jensenShannon(window: [Int], reference: [Double]) -> Double? {
        guard let p = proportions(window), let q = proportions(reference) else { return nil }
        var divergence = 0.0
        for (pi, qi) in zip(p, q) {
            let m = (pi + qi) / 2
            if pi > 0 { divergence += pi * log2(pi / m) }
            if qi > 0 { divergence += qi * log2(qi / m) }
        }
        return Swift.max(0, divergence / 2).squareRoot()
    }

    /// Two-sample chi-square test of homogeneity on the 2 × k table (reference counts, window counts), without
    /// continuity correction (scipy.stats.chi2_contingency(..., correction=False)); categories empty on both sides
    /// are left out. Returns the p-value, or nil when fewer than two categories or either side is empty.
    public static func chiSquarePValue(window: [Int], reference: [Double]) -> Double? {
        var rows: [(Double, Double)] = []
        for (w, r) in zip(window, reference) where w > 0 || r > 0 { rows.append((r, Double(w))) }
        let totalR = rows.reduce(0) { $0 + $1.0 }
        let totalW = rows.reduce(0) { $0 + $1.1 }
        guard rows.count >= 2, totalR > 0, totalW > 0 else { return nil }
        let total = totalR + totalW
        var statistic = 0.0
        for (r, w) in rows {
            let column = r + w
            let expectedR = column * totalR / total
            let expectedW = column * totalW / total
            statistic += (r - expectedR) * (r - expectedR) / expectedR + (w - expectedW) * (w - expectedW) / expectedW
        }
        return ChiSquare.survival(statistic, degreesOfFreedom: rows.count - 1)
    }

    /// Kolmogorov–Smirnov statistic: the largest gap between the two empirical CDFs (weighted samples, each
    /// sorted by value, as quantile sketches give them). Equals scipy.stats.ks_2samp's statistic on exact samples.
    public static func kolmogorovSmirnov(_ a: [(value: Double, weight: Int)], _ b: [(value: Double, weight: Int)])
        -> Double?
    {
        var worst = 0.0
        guard walkCDFs(a, b, { fa, fb, _, _ in worst = Swift.max(worst, abs(fa - fb)) }) else { return nil }
        return worst
    }

    /// Wasserstein-1 distance: the area between the two empirical CDFs, ∫ |F_a − F_b| dx (as
    /// scipy.stats.wasserstein_distance on exact samples).
    public static func wasserstein(_ a: [(value: Double, weight: Int)], _ b: [(value: Double, weight: Int)]) -> Double?
    {
        var area = 0.0
        guard walkCDFs(a, b, { fa, fb, x, next in area += abs(fa - fb) * (next - x) }) else { return nil }
        return area
    }

    /// Visits every distinct value x of either sample in order with both CDFs at x and the next value.
    private static func walkCDFs(
        _ a: [(value: Double, weight: Int)], _ b: [(value: Double, weight: Int)],
        _ visit: (_ fa: Double, _ fb: Double, _ x: Double, _ next: Double) -> Void
    ) -> Bool {
        let totalA = Double(a.reduce(0) { $0 + $1.weight })
        let totalB = Double(b.reduce(0) { $0 + $1.weight })
        guard totalA > 0, totalB > 0 else { return false }
        var i = 0
        var j = 0
        var cumA = 0.0
        var cumB = 0.0
        while i < a.count || j < b.count {
            let x = Swift.min(i < a.count ? a[i].value : .infinity, j < b.count ? b[j].value : .infinity)
            while i < a.count && a[i].value == x {
                cumA += Double(a[i].weight)
                i += 1
            }
            while j < b.count && b[j].value == x {
                cumB += Double(b[j].weight)
                j += 1
            }
            let upcoming = Swift.min(i < a.count ? a[i].value : .infinity, j < b.count ? b[j].value : .infinity)
            let next = upcoming.isFinite ? upcoming : x
            visit(cumA / totalA, cumB / totalB, x, next)
        }
        return true
    }

    private static func proportions<T: BinaryInteger>(_ counts: [T]) -> [Double]? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        return counts.map { Double($0) / Double(total) }
    }

    private static func proportions(_ weights: [Double]) -> [Double]? {
        let total = weights.reduce(0, +)
        guard total > 0 else { return nil }
        return weights.map { $0 / total }
    }
}
