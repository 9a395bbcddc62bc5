import DriftStats
import DriftTestSupport
import Foundation
import Testing

/// Statistics against exact computations on the same data.
@Suite struct AccumulatorTests {
    /// Exact reference: two-pass mean and sample variance in extended precision (Float80 sums, then the
    /// deviations from the mean) — independent of Welford's update.
    static func exactMoments(_ xs: [Double]) -> (mean: Double, std: Double?, min: Double, max: Double) {
        let finite = xs.filter(\.isFinite)
        var sum: Float80 = 0
        for x in finite { sum += Float80(x) }
        let mean = sum / Float80(finite.count)
        var ss: Float80 = 0
        for x in finite { ss += (Float80(x) - mean) * (Float80(x) - mean) }
        let std = finite.count > 1 ? Double((ss / Float80(finite.count - 1)).squareRoot()) : nil
        return (Double(mean), std, finite.min()!, finite.max()!)
    }

    static func datasets() -> [(String, [Double])] {
        var rng = SeededGenerator(seed: 7)
        let normal = (0..<20_000).map { _ in 50 + 10 * rng.normal() }
        let lognormal = (0..<20_000).map { _ in exp(3 + rng.normal()) }
        let uniform = (0..<20_000).map { _ in rng.unit() }
        let integers = (0..<20_000).map { _ in Double(Int(rng.unit() * 10)) }
        let constant = [Double](repeating: 3.25, count: 1000)
        let largeOffset = (0..<5000).map { _ in 1e9 + rng.unit() }  // catastrophic cancellation for naive formulas
        let withNonFinite = normal.prefix(1000) + [.nan, .infinity, -.infinity]
        return [
            ("normal", normal), ("lognormal", lognormal), ("uniform", uniform), ("integers", integers),
            ("constant", constant), ("large offset", largeOffset), ("with NaN/±inf", Array(withNonFinite)),
        ]
    }

    /// The tolerance on the standard deviation: relative 1e-10, widened by the condition number |mean|/std for
    /// data far from zero, where the inputs themselves carry only ulp(mean) of resolution.
    static func stdTolerance(mean: Double, std: Double) -> Double {
        max(1e-10, 16 * Double.ulpOfOne * abs(mean) / max(std, 1e-300)) * std
    }

    @Test func momentsEqualTheExactComputation() {
        for (name, xs) in Self.datasets() {
            var acc = NumericAccumulator()
            for x in xs { acc.add(x) }
            let exact = Self.exactMoments(xs)
            let m = acc.moments
            #expect(acc.count == xs.count, "\(name)")
            #expect(acc.nonFinite == xs.filter { !$0.isFinite }.count, "\(name)")
            #expect(
                abs(m.mean - exact.mean) <= 1e-12 * max(1, abs(exact.mean)), "\(name) mean \(m.mean) vs \(exact.mean)")
            let std = m.standardDeviation ?? .nan
            #expect(
                abs(std - exact.std!) <= Self.stdTolerance(mean: exact.mean, std: exact.std!),
                "\(name) std \(std) vs \(exact.std!)")
            #expect(m.min == exact.min && m.max == exact.max, "\(name)")
        }
    }

    @Test func mergingPartialsInAnyOrderGivesTheSameResult() {
        for (name, xs) in Self.datasets() {
            var whole = NumericAccumulator()
            for x in xs { whole.add(x) }
            var rng = SeededGenerator(seed: 99)
            for _ in 0..<5 {
                // Cut into random chunks and merge them in a random order.
                var cuts = (0..<7).map { _ in Int(rng.unit() * Double(xs.count)) } + [0, xs.count]
                cuts.sort()
                var parts: [NumericAccumulator] = zip(cuts, cuts.dropFirst()).map { lo, hi in
                    var p = NumericAccumulator()
                    for x in xs[lo..<hi] { p.add(x) }
                    return p
                }
                parts.shuffle(using: &rng)
                var merged = NumericAccumulator()
                for p in parts { merged.merge(p) }
                #expect(merged.count == whole.count && merged.nonFinite == whole.nonFinite, "\(name)")
                #expect(merged.moments.count == whole.moments.count, "\(name)")
                #expect(
                    abs(merged.moments.mean - whole.moments.mean) <= 1e-12 * max(1, abs(whole.moments.mean)), "\(name)")
                let a = merged.moments.standardDeviation ?? 0
                let b = whole.moments.standardDeviation ?? 0
                #expect(abs(a - b) <= Self.stdTolerance(mean: whole.moments.mean, std: b), "\(name)")
                #expect(merged.moments.min == whole.moments.min && merged.moments.max == whole.moments.max)
            }
        }
    }

    @Test func stdIsAbsentBelowTwoValues() {
        var acc = NumericAccumulator()
        #expect(acc.moments.standardDeviation == nil)
        acc.add(4)
        #expect(acc.moments.standardDeviation == nil)
        acc.add(6)
        #expect(acc.moments.standardDeviation == 2.0.squareRoot())
    }

    @Test func categoricalCountAndDistinctAreExactAndTopValuesWithinTheirBound() {
        var rng = SeededGenerator(seed: 3)
        let values = (0..<10_000).map { _ -> String in "v\(Int(pow(rng.unit(), 3) * 500))" }
        var acc = CategoricalAccumulator()
        for v in values { acc.add(v) }
        var exact: [String: Int] = [:]
        for v in values { exact[v, default: 0] += 1 }
        #expect(acc.count == values.count)
        #expect(acc.distinct == exact.count, "exact below 2,048 distinct values")
        let top = acc.top(10)
        let expected = exact.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)
        #expect(top.map(\.value) == expected.map(\.key))
        let bound = acc.heavyHitters.maxError
        #expect(bound <= values.count / (HeavyHitters.defaultCapacity + 1))
        for t in top { #expect(t.count <= exact[t.value]! && t.count >= exact[t.value]! - bound) }
        // Few distinct values: exact.
        var few = CategoricalAccumulator()
        for v in values.prefix(1000) { few.add(String(v.prefix(2))) }
        #expect(few.heavyHitters.maxError == 0)
        // Merged halves give the same count and distinct estimate.
        var a = CategoricalAccumulator()
        var b = CategoricalAccumulator()
        for (i, v) in values.enumerated() { if i % 2 == 0 { a.add(v) } else { b.add(v) } }
        b.merge(a)
        #expect(b.count == acc.count && b.distinct == acc.distinct)
    }

    @Test func countMissingAndInvalidAddUpToTheRecords() {
        var f = FeatureAccumulator()
        for x in [1.0, 2, 3, .nan] { f.addNumber(x) }
        f.addCategory("oops")
        f.addStructured()
        let numeric = FeatureSummary(feature: "x", type: .numeric, accumulator: f, records: 10)
        #expect(numeric.count == 4 && numeric.invalid == 2 && numeric.missing == 4 && numeric.nonFinite == 1)
        #expect(numeric.mean == 2 && numeric.min == 1 && numeric.max == 3)
        let categorical = FeatureSummary(feature: "x", type: .categorical, accumulator: f, records: 10)
        #expect(categorical.count == 1 && categorical.invalid == 5 && categorical.missing == 4)
        #expect(categorical.top == [.init(value: "oops", count: 1)])
        #expect(f.observedType == .numeric)
    }
}
