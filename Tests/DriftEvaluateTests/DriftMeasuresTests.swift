import DriftEvaluate
import DriftStats
import Foundation
import Testing

/// Drift measures against scipy (the committed fixture made by scripts/make_drift_fixture.py).
@Suite struct DriftMeasuresTests {
    struct Fixture: Decodable {
        struct Numeric: Decodable {
            var name: String
            var reference: [Double]
            var window: [Double]
            var edges: [Double]
            var referenceCounts: [Int]
            var windowCounts: [Int]
            var psi: Double
            var js: Double
            var ks: Double
            var wasserstein: Double
            var wassersteinNorm: Double?
        }
        struct Categorical: Decodable {
            var name: String
            var referenceCounts: [Int]
            var windowCounts: [Int]
            var psi: Double
            var js: Double
            var chi2P: Double
        }
        struct ChiSquareCase: Decodable {
            var x: Double
            var k: Int
            var sf: Double
        }
        var numeric: [Numeric]
        var categorical: [Categorical]
        var chi2Sf: [ChiSquareCase]
    }

    static let fixture: Fixture = {
        let url = Bundle.module.url(forResource: "Fixtures/drift_measures", withExtension: "json")!
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase  // the fixture's keys are scipy-side snake_case
        return try! decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// Stated tolerance: 1e-9 relative (these are exact computations on exact samples; only summation order and
    /// library log/sqrt differ).
    static func close(_ a: Double?, _ b: Double, _ tol: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tol * max(1, abs(b))
    }

    static func sketch(_ xs: [Double]) -> KLLSketch {
        var s = KLLSketch()
        for x in xs { s.add(x) }
        return s
    }

    @Test func numericBinsAndMeasuresAgreeWithScipy() {
        for c in Self.fixture.numeric {
            let ref = Self.sketch(c.reference)
            let win = Self.sketch(c.window)
            let bins = NumericBins(deciles: ref)!
            #expect(bins.edges == c.edges, "\(c.name): edges")
            let rc = bins.counts(ref.weightedItems())
            let wc = bins.counts(win.weightedItems())
            #expect(rc == c.referenceCounts, "\(c.name)")
            #expect(wc == c.windowCounts, "\(c.name)")
            let refShares = rc.map(Double.init)
            #expect(Self.close(DriftMeasures.psi(window: wc, reference: refShares), c.psi), "\(c.name): psi")
            #expect(Self.close(DriftMeasures.jensenShannon(window: wc, reference: refShares), c.js), "\(c.name): js")
            #expect(
                Self.close(DriftMeasures.kolmogorovSmirnov(win.weightedItems(), ref.weightedItems()), c.ks),
                "\(c.name): ks")
            let w = DriftMeasures.wasserstein(win.weightedItems(), ref.weightedItems())
            #expect(Self.close(w, c.wasserstein), "\(c.name): wasserstein")
            var moments = Moments()
            for x in c.reference { moments.add(x) }
            if let norm = c.wassersteinNorm, let w, let std = moments.populationStandardDeviation {
                #expect(Self.close(w / std, norm), "\(c.name): normed wasserstein")
            }
        }
    }

    @Test func categoricalMeasuresAgreeWithScipy() {
        for c in Self.fixture.categorical {
            let ref = c.referenceCounts.map(Double.init)
            #expect(Self.close(DriftMeasures.psi(window: c.windowCounts, reference: ref), c.psi), "\(c.name): psi")
            #expect(
                Self.close(DriftMeasures.jensenShannon(window: c.windowCounts, reference: ref), c.js), "\(c.name): js")
            let p = DriftMeasures.chiSquarePValue(window: c.windowCounts, reference: ref)
            // p-values span 300 orders of magnitude: compare relatively, down to the smallest normal doubles.
            #expect(
                p.map { abs($0 - c.chi2P) <= 1e-8 * c.chi2P + 1e-300 } == true,
                "\(c.name): chi2 p \(p ?? -1) vs \(c.chi2P)")
        }
    }

    @Test func chiSquareSurvivalAgreesWithScipy() {
        for c in Self.fixture.chi2Sf {
            let sf = ChiSquare.survival(c.x, degreesOfFreedom: c.k)
            #expect(abs(sf - c.sf) <= 1e-10 * c.sf + 1e-300, "x \(c.x) k \(c.k): \(sf) vs \(c.sf)")
        }
    }

    @Test func identicalDistributionsHaveNoDrift() {
        let counts = [10, 20, 30, 40]
        let ref = counts.map(Double.init)
        #expect(DriftMeasures.psi(window: counts, reference: ref) == 0)
        #expect(DriftMeasures.jensenShannon(window: counts, reference: ref) == 0)
        #expect(DriftMeasures.chiSquarePValue(window: counts, reference: ref)! > 0.999)
        let items: [(value: Double, weight: Int)] = [(1, 2), (2, 1), (5, 3)]
        #expect(DriftMeasures.kolmogorovSmirnov(items, items) == 0)
        #expect(DriftMeasures.wasserstein(items, items) == 0)
        #expect(DriftMeasures.psi(window: [0, 0], reference: ref) == nil, "an empty window has no PSI")
    }
}
