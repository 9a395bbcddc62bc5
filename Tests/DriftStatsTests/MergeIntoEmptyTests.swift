import DriftCore
import Testing

@testable import DriftStats

/// A coarser window's first merge takes the finer window's KLL level 0 whole instead of adding its items one by
/// one: the state must be the one the loop of `add`s gives. The heavy hitters are still merged counter by counter
/// (taken whole, the finer windows' tables kept the room adding gives them: 2 MB more peak heap for 1,000
/// models); their merge into an empty summary is checked against a merge into one that counted something.
@Suite struct MergeIntoEmptyTests {
    /// Windows of up to k values, signed zeros and repeated values among them: merged into an empty sketch they
    /// give the sketch of their values added one by one (levels, count, bounds and coin), and so do the values
    /// that come after, through the compactions.
    @Test(arguments: [(UInt64(1), 1), (2, 37), (3, 122), (4, 399)])
    func aSketchMergedIntoAnEmptyOneIsTheSketchOfItsValues(seed: UInt64, n: Int) {
        var rng = SplitMix64(seed: seed)
        var finer = KLLSketch()
        var values: [Double] = []
        for i in 0..<n {
            let x = i % 17 == 3 ? (i % 2 == 0 ? 0.0 : -0.0) : Double(rng.next() % 500) / 10
            finer.add(x)
            values.append(x)
        }
        var merged = KLLSketch()
        merged.merge(finer)
        var added = KLLSketch()
        for x in values { added.add(x) }
        #expect(merged == added)
        #expect(merged.min.bitPattern == added.min.bitPattern && merged.max.bitPattern == added.max.bitPattern)
        for _ in 0..<1_500 {
            let x = Double(rng.next() % 10_000) / 7
            merged.add(x)
            added.add(x)
        }
        #expect(merged == added)
        let qs = [0.01, 0.5, 0.99]
        #expect(merged.quantiles(qs) == added.quantiles(qs))
    }

    /// A finer sketch with a larger k and more values than the coarser one's k is added item by item, compacting
    /// as it goes: not taken whole.
    @Test func aSketchWithMoreValuesThanKIsAddedValueByValue() {
        var finer = KLLSketch(k: 1_000)
        for i in 0..<700 { finer.add(Double(i)) }
        var merged = KLLSketch()
        merged.merge(finer)
        var added = KLLSketch()
        for i in 0..<700 { added.add(Double(i)) }
        #expect(merged == added)
        #expect(merged.levels.count > 1)
    }

    /// Heavy hitters merged into an empty summary equal those merged into a summary that had counted one of their
    /// values once, less that once; with more counters than the capacity (a summary holds up to twice it) they are
    /// reduced as a merge reduces them.
    @Test(arguments: [5, 64, 100])
    func heavyHittersMergedIntoAnEmptySummaryAreTheMergedCounters(distinct: Int) {
        var rng = SplitMix64(seed: UInt64(distinct))
        var finer = HeavyHitters()
        for _ in 0..<400 { finer.add("v\(rng.next() % UInt64(distinct))") }
        var merged = HeavyHitters()
        merged.merge(finer)
        // The item-by-item path: a summary that counted one of finer's values once, which the test takes off
        // again (a value of its own would make one counter more than finer has).
        var stepwise = HeavyHitters()
        stepwise.add("v0")
        stepwise.merge(finer)
        var expected = stepwise.counters
        expected["v0"]! -= 1
        if finer.counterCount <= finer.capacity {
            #expect(merged.counters == expected)
            #expect(merged.maxError == 0)
        } else {
            #expect(merged.counterCount <= merged.capacity)
            #expect(merged.maxError > 0)
            // Misra–Gries: each count is under its value's true count by at most maxError.
            for (value, count) in merged.counters { #expect(count <= finer.counters[value]!) }
            for (value, count) in finer.counters where count > merged.maxError {
                #expect((merged.counters[value] ?? 0) >= count - merged.maxError, "\(value)")
            }
        }
        // The merged summary goes on counting (with at most `capacity` counters, one more drops none).
        let before = merged.counters["v0"] ?? 0
        merged.add("v0", count: 3)
        #expect(merged.counters["v0"] == before + 3)
    }
}
