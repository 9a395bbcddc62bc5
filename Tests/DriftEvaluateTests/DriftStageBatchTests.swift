import DriftCore
import DriftEvaluate
import DriftStats
import DriftTestSupport
import Testing

/// Closed windows are summarized several at a time on as many threads as the aggregator has shards: each report
/// must be the one a single thread makes, in the windows' order.
@Suite struct DriftStageBatchTests {
    /// 37 windows of the reference's model `m` (drift measured) and of an unknown one, with numbers, categories and
    /// a feature that has no values: on 1 to 5 threads, the same reports in the same order.
    @Test func reportsOnSeveralThreadsAreThoseOfOne() {
        let stage = DriftStage(reference: ReferenceProfileTests.sampleProfile())
        var rng = SeededGenerator(seed: 37)
        let windows = (0..<37).map { w in
            var x = FeatureAccumulator()
            var c = FeatureAccumulator()
            let records = 20 + w * 13
            for _ in 0..<records {
                x.addNumber(rng.normal() + Double(w) / 10)
                c.addCategory("v\(Int(rng.unit() * Double(3 + w % 9)))")
            }
            c.settle()
            let start = EventTime(nanoseconds: 1_795_651_200_000_000_000 + Int64(w) * 60_000_000_000)
            return ClosedWindow(
                model: w % 3 == 0 ? "other" : "m", window: "1m", start: start,
                end: EventTime(nanoseconds: start.nanoseconds + 60_000_000_000), records: records, late: w % 2,
                rejected: 0,
                features: [
                    .init(name: "c", type: .categorical, accumulator: c),
                    .init(name: "empty", type: .numeric, accumulator: FeatureAccumulator()),
                    .init(name: "x", type: .numeric, accumulator: x),
                ],
                performance: PerformanceAccumulator())
        }
        let one = windows.map(stage.report)
        #expect(one.contains { $0.features.contains { $0.drift != nil } }, "the reference's model is compared")
        #expect(Set(one.map(\.start)).count == windows.count)
        for threads in 1...5 {
            #expect(stage.reports(windows, threads: threads) == one, "\(threads) threads")
        }
        #expect(stage.reports([], threads: 2).isEmpty)
    }
}
