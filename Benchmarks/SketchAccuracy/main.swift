// Measures the sketches' errors and memory on fixed-seed data, for docs/statistics.md:
//   swift run -c release sketch-accuracy
import DriftCore
import DriftGenerate
import DriftStats
import Foundation

var rng = SplitMix64(seed: 2026)

func worstRankError(_ sketch: KLLSketch, _ sorted: [Double]) -> Double {
    let probes = (1...99).map { Double($0) / 100 }
    var worst = 0.0
    for (q, v) in zip(probes, sketch.quantiles(probes)) {
        guard let v else { continue }
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let m = (lo + hi) / 2
            if sorted[m] < v { lo = m + 1 } else { hi = m }
        }
        let below = Double(lo) / Double(sorted.count)
        lo = 0
        hi = sorted.count
        while lo < hi {
            let m = (lo + hi) / 2
            if sorted[m] <= v { lo = m + 1 } else { hi = m }
        }
        let atOrBelow = Double(lo) / Double(sorted.count)
        worst = max(worst, q < below ? below - q : q > atOrBelow ? q - atOrBelow : 0)
    }
    return worst
}

print("KLL (k = \(KLLSketch.defaultK)): worst normalized rank error over p01…p99, items retained")
for n in [10_000, 100_000, 1_000_000, 10_000_000] {
    for shape in ["normal", "lognormal", "integers 0-49"] {
        var s = KLLSketch()
        var xs: [Double] = []
        xs.reserveCapacity(n)
        for _ in 0..<n {
            let x =
                shape == "normal"
                ? rng.normal() : shape == "lognormal" ? exp(2 + rng.normal()) : Double(rng.int(in: 0...49))
            xs.append(x)
            s.add(x)
        }
        xs.sort()
        let e = worstRankError(s, xs)
        print(String(format: "  n %10d  %-14@ worst %.4f%%  retained %5d", n, shape as NSString, e * 100, s.retained))
    }
}

print("Distinct counter: relative error of the estimate")
for n in [100, 2_048, 2_049, 10_000, 100_000, 1_000_000, 10_000_000] {
    var d = DistinctCounter()
    let salt = rng.next()
    for i in 0..<n { d.add(hash: XXH64.hash("v\(i)", seed: salt)) }
    print(
        String(
            format: "  n %10d  estimate %10d  error %.3f%%  %@", n, d.estimate,
            abs(Double(d.estimate - n)) / Double(n) * 100, d.isExact ? "exact" : "HLL"))
}

print("Heavy hitters (capacity \(HeavyHitters.defaultCapacity)): bound on count error as a share of n")
for n in [10_000, 1_000_000] {
    var h = HeavyHitters()
    var exact: [String: Int] = [:]
    for _ in 0..<n {
        let v = "m\(Int(1 / max(rng.unit(), 1e-9)) % 50_000)"
        h.add(v)
        exact[v, default: 0] += 1
    }
    let worst = h.counters.map { exact[$0.key]! - $0.value }.max() ?? 0
    print(
        String(
            format: "  n %10d  bound %6d (%.3f%% of n, n/(k+1) = %d)  worst actual %d  counters %d", n,
            h.maxError, Double(h.maxError) / Double(n) * 100, n / (h.capacity + 1), worst, h.counters.count))
}
