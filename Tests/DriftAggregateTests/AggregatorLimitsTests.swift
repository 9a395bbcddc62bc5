import DriftAggregate
import DriftCore
import DriftRecords
import DriftStats
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

/// What one input can make the aggregator hold is bounded (DESIGN §8): models, features per model, names.
@Suite struct AggregatorLimitsTests {
    static let spec = WindowSpec(size: .seconds(60), idleTimeout: .seconds(30))

    static func line(_ second: Int, model: String, _ features: String) -> String {
        let t = EventTime(rfc3339: "2026-11-26T10:00:00Z")! + .seconds(Int64(second))
        return #"{"ts":"\#(t.rfc3339)","model":"\#(model)","features":{\#(features)}}"#
    }

    func aggregator(_ limits: RecordLimits, clock: ManualClock, telemetry: Telemetry) -> Aggregator {
        Aggregator(schema: .default, windows: [Self.spec], limits: limits, telemetry: telemetry, clock: clock.read)
    }

    @Test func aNewModelBeyondTheLimitIsRejectedAndCounted() {
        let telemetry = quietTelemetry()
        let clock = ManualClock()
        var a = aggregator(RecordLimits(maxModels: 3), clock: clock, telemetry: telemetry)
        var closed: [WindowReport] = []
        let lines = (0..<5).map { Self.line($0, model: "m\($0)", #""x":1"#) } + [Self.line(6, model: "m1", #""x":2"#)]
        a.add(AggregatorTests.batch(lines), closed: &closed)
        a.closeAll(into: &closed)
        #expect(a.modelCount == 3)
        #expect(a.records == 4 && a.rejected == 2)
        #expect(telemetry.counter("records_rejected_total{reason=\"too_many_models\"}") == 2)
        #expect(Set(closed.map(\.model)) == ["m0", "m1", "m2"])
    }

    /// A dormant model (its windows closed by the idle timeout) makes room; when it comes back, the window it
    /// wrote stays closed: a record for it is late, never a second line.
    @Test func aDormantModelMakesRoomAndComesBackWithoutReopeningItsWindows() {
        let telemetry = quietTelemetry()
        let clock = ManualClock()
        var a = aggregator(RecordLimits(maxModels: 2), clock: clock, telemetry: telemetry)
        var closed: [WindowReport] = []
        a.add(
            AggregatorTests.batch([Self.line(1, model: "a", #""x":1"#), Self.line(2, model: "b", #""x":1"#)]),
            closed: &closed)
        clock.advance(seconds: 31)
        a.closeIdle(into: &closed)
        #expect(closed.count == 2)
        a.add(
            AggregatorTests.batch([Self.line(3, model: "c", #""x":1"#), Self.line(4, model: "d", #""x":1"#)]),
            closed: &closed)
        #expect(telemetry.counter("models_evicted_total") == 2)
        #expect(a.rejected == 0 && a.modelCount == 2)
        clock.advance(seconds: 31)
        a.closeIdle(into: &closed)
        // "a" comes back: its 10:00 window was written, so the record is late; its next window is new.
        a.add(
            AggregatorTests.batch([Self.line(5, model: "a", #""x":1"#), Self.line(65, model: "a", #""x":1"#)]),
            closed: &closed)
        a.closeAll(into: &closed)
        let windowsOfA = closed.filter { $0.model == "a" }.map { ($0.start.rfc3339, $0.records, $0.late) }
        #expect(windowsOfA.map(\.0) == ["2026-11-26T10:00:00Z", "2026-11-26T10:01:00Z"])
        #expect(windowsOfA[1].1 == 1 && windowsOfA[1].2 == 1)
        #expect(telemetry.counter("records_late_total") == 1)
    }

    @Test func featuresBeyondAModelsLimitAreDroppedAndCountedTheOthersKept() {
        let telemetry = quietTelemetry()
        let clock = ManualClock()
        var a = aggregator(RecordLimits(maxFeatures: 2), clock: clock, telemetry: telemetry)
        var closed: [WindowReport] = []
        let lines =
            (0..<10).map { Self.line($0, model: "m", #""a":\#($0),"b":"v","c":\#($0),"d":null"#) }
            + [Self.line(10, model: "other", #""c":1,"d":2"#)]
        a.add(AggregatorTests.batch(lines), closed: &closed)
        a.closeAll(into: &closed)
        let m = closed.first { $0.model == "m" }!
        #expect(m.features.map(\.feature) == ["a", "b"])
        #expect(m.features[0].count == 10 && m.features[0].mean == 4.5)
        #expect(telemetry.counter("feature_values_dropped_total{reason=\"too_many_features\"}") == 20)
        let other = closed.first { $0.model == "other" }!
        #expect(other.features.map(\.feature) == ["c", "d"], "the limit is per model")
    }

    /// 400,000 feature names once took 2.5 GB and every later one-record window re-reported all of them.
    @Test func aStreamOfNewFeatureNamesStaysBoundedAndLaterWindowsReportOnlyLiveFeatures() {
        let telemetry = quietTelemetry()
        let clock = ManualClock()
        var a = aggregator(RecordLimits(maxFeatures: 50), clock: clock, telemetry: telemetry)
        var closed: [WindowReport] = []
        for chunk in 0..<20 {
            let lines = (0..<1000).map { i in Self.line(chunk, model: "m", #""f\#(chunk * 1000 + i)":1"#) }
            a.add(AggregatorTests.batch(lines), closed: &closed)
        }
        #expect(a.featureCount == 50)
        #expect(telemetry.counter("feature_values_dropped_total") == 20_000 - 50)
        // Fourteen minutes of records with one feature: the others, unseen for ten window sizes, are retired, and
        // the new one, dropped while the model was full, is taken from then on.
        for minute in 1...14 {
            a.add(AggregatorTests.batch([Self.line(minute * 60, model: "m", #""x":1"#)]), closed: &closed)
        }
        a.closeAll(into: &closed)
        #expect(closed.first!.features.count == 50)
        #expect(closed.last!.records == 1)
        #expect(closed.last!.features.map(\.feature) == ["x"])
        #expect(a.featureCount == 1)
        #expect(telemetry.counter("features_retired_total") == 50)
    }

    /// A parser holds at most a bounded number of names and starts over beyond it; the aggregator follows.
    @Test func aParserStartsItsNamesOverAndTheAggregatorFollows() {
        let telemetry = quietTelemetry()
        let clock = ManualClock()
        let limits = RecordLimits(maxModels: 2)
        var a = aggregator(limits, clock: clock, telemetry: telemetry)
        var closed: [WindowReport] = []
        var parser = BatchParser(index: 1, schema: .default, limits: limits)
        var restarts = 0
        for chunk in 0..<8 {
            let lines =
                [Self.line(chunk, model: "real", #""x":\#(chunk)"#)]
                + (0..<500).map { i in Self.line(chunk, model: "attack\(chunk * 500 + i)", #""x":1"#) }
            let parsed = parser.parse(AggregatorTests.batch(lines))
            if parsed.namesRestarted { restarts += 1 }
            a.ingest(parsed, closed: &closed)
        }
        #expect(restarts == 3, "the first batch, and over 1024 names: before the 4th and the 7th batch of 501")
        a.closeAll(into: &closed)
        let real = closed.first { $0.model == "real" }!
        #expect(real.records == 8 && real.features.first?.mean == 3.5)
        #expect(a.modelCount == 2)
    }

    @Test func aRestoredAggregatorKeepsItsLimitsState() {
        let telemetry = quietTelemetry()
        let clock = ManualClock()
        var a = aggregator(RecordLimits(maxModels: 2, maxFeatures: 2), clock: clock, telemetry: telemetry)
        var closed: [WindowReport] = []
        a.add(AggregatorTests.batch([Self.line(1, model: "a", #""x":1,"y":2"#)]), closed: &closed)
        var b = aggregator(RecordLimits(maxModels: 2, maxFeatures: 2), clock: clock, telemetry: telemetry)
        let restored = b.restore(a.state)
        #expect(restored)
        for var x in [a, b] {
            var out: [WindowReport] = []
            x.add(AggregatorTests.batch([Self.line(2, model: "a", #""z":1,"x":3"#)]), closed: &out)
            x.closeAll(into: &out)
            #expect(out.first?.features.map(\.feature) == ["x", "y"])
        }
    }
}

extension AggregatorLimitsTests {
    /// As `replay` reads: big batches, retirement at a batch's end, the new feature taken in the batches after.
    @Test func aFeatureDroppedWhileTheModelWasFullIsTakenOnceOthersRetireAcrossBatches() {
        let telemetry = quietTelemetry()
        let clock = ManualClock()
        var a = aggregator(RecordLimits(maxFeatures: 50), clock: clock, telemetry: telemetry)
        var closed: [WindowReport] = []
        var parser = BatchParser(index: 1, schema: .default)
        a.ingest(
            parser.parse(AggregatorTests.batch((0..<2000).map { Self.line(0, model: "m", #""f\#($0)":1"#) })),
            closed: &closed)
        for chunk in 0..<3 {
            let lines = (0..<1000).map { Self.line(60 + chunk * 1000 + $0, model: "m", #""x":\#($0)"#) }
            a.ingest(parser.parse(AggregatorTests.batch(lines)), closed: &closed)
        }
        a.closeAll(into: &closed)
        #expect(closed.last!.features.map(\.feature) == ["x"])
        #expect(a.featureCount == 1)
    }
}
