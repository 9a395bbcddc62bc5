import DriftAggregate
import DriftCore
import DriftRecords
import DriftStats
import DriftTestSupport
import DriftWindows
import Testing

@Suite struct AggregatorTests {
    static func batch(_ lines: [String]) -> LineBatch {
        var framer = LineFramer()
        var batch = LineBatch(source: "test")
        Array((lines.joined(separator: "\n") + "\n").utf8).withUnsafeBytes { framer.push($0, into: &batch) }
        return batch
    }

    func aggregator(clock: ManualClock) -> Aggregator {
        Aggregator(
            schema: .default, windows: [WindowSpec(size: .seconds(60), idleTimeout: .seconds(30))],
            telemetry: quietTelemetry(), clock: clock.read)
    }

    @Test func windowsCloseAfterTheIdleTimeoutOfWallTime() {
        let clock = ManualClock()
        var a = aggregator(clock: clock)
        var closed: [WindowReport] = []
        a.add(Self.batch([#"{"ts":"2026-11-26T10:00:05Z","model":"m","features":{"x":1}}"#]), closed: &closed)
        clock.advance(seconds: 29)
        a.closeIdle(into: &closed)
        #expect(closed.isEmpty)
        clock.advance(seconds: 1)
        a.closeIdle(into: &closed)
        #expect(closed.map(\.records) == [1])
        // A record for the window closed by the timeout is late: the window is not written twice.
        a.add(
            Self.batch([
                #"{"ts":"2026-11-26T10:00:06Z","model":"m","features":{"x":2}}"#,
                #"{"ts":"2026-11-26T10:01:06Z","model":"m","features":{"x":3}}"#,
            ]), closed: &closed)
        clock.advance(seconds: 30)
        a.closeIdle(into: &closed)
        #expect(closed.map(\.start.rfc3339) == ["2026-11-26T10:00:00Z", "2026-11-26T10:01:00Z"])
        #expect(closed[1].late == 1 && closed[1].records == 1)
    }

    /// docs/semantics.md: the watermark is per model. A model whose clock runs an hour ahead closes none of
    /// another model's windows, and a record of the slow model is not late for the fast one's time.
    @Test func theWatermarkIsPerModel() {
        var a = aggregator(clock: ManualClock())
        var closed: [WindowReport] = []
        a.add(
            Self.batch([
                #"{"ts":"2026-11-26T10:00:05Z","model":"slow","features":{"x":1}}"#,
                #"{"ts":"2026-11-26T11:00:05Z","model":"fast","features":{"x":1}}"#,
                #"{"ts":"2026-11-26T11:05:05Z","model":"fast","features":{"x":2}}"#,
                #"{"ts":"2026-11-26T10:00:30Z","model":"slow","features":{"x":2}}"#,
            ]), closed: &closed)
        #expect(closed.map(\.model) == ["fast"], "only the fast model's first window closed")
        a.closeAll(into: &closed)
        let slow = closed.filter { $0.model == "slow" }
        #expect(slow.map(\.records) == [2] && slow.map(\.late) == [0], "the slow model's records are all in time")
    }

    /// docs/semantics.md: a numeric or boolean model id is taken as its text, the same model as the string.
    @Test func numericAndBooleanModelIdsAreTheirText() {
        var a = aggregator(clock: ManualClock())
        var closed: [WindowReport] = []
        a.add(
            Self.batch([
                #"{"ts":"2026-11-26T10:00:05Z","model":5014,"features":{"x":1}}"#,
                #"{"ts":"2026-11-26T10:00:06Z","model":"5014","features":{"x":2}}"#,
                #"{"ts":"2026-11-26T10:00:07Z","model":true,"features":{"x":3}}"#,
                #"{"ts":"2026-11-26T10:00:08Z","model":null,"features":{"x":4}}"#,
            ]), closed: &closed)
        a.closeAll(into: &closed)
        let records = Dictionary(uniqueKeysWithValues: closed.map { ($0.model, $0.records) })
        #expect(records == ["5014": 2, "true": 1, "default": 1])
    }

    @Test func aRestoredAggregatorContinuesExactlyAsTheOriginal() throws {
        let clock = ManualClock()
        var original = aggregator(clock: clock)
        var closedOriginal: [WindowReport] = []
        let first = Self.batch(
            (0..<50).map {
                #"{"ts":"2026-11-26T10:00:\#(String(format: "%02d", $0))Z","model":"m","features":{"x":\#($0),"c":"v\#($0 % 3)"}}"#
            })
        let second = Self.batch(
            (0..<50).map {
                #"{"ts":"2026-11-26T10:01:\#(String(format: "%02d", $0))Z","model":"m","features":{"x":\#($0 * 2),"c":"w"}}"#
            }
                + ["not json", #"{"ts":"2026-11-26T10:02:30Z","model":"m","features":{}}"#])
        original.add(first, closed: &closedOriginal)
        let state = original.state
        var restored = aggregator(clock: clock)
        let accepted = restored.restore(state)
        #expect(accepted)
        var closedRestored: [WindowReport] = []
        original.add(second, closed: &closedOriginal)
        restored.add(second, closed: &closedRestored)
        original.closeAll(into: &closedOriginal)
        restored.closeAll(into: &closedRestored)
        #expect(closedRestored == closedOriginal)
        var otherWindows = Aggregator(
            schema: .default, windows: [WindowSpec(size: .seconds(300))],
            telemetry: quietTelemetry(), clock: clock.read)
        let continued = otherWindows.restore(state)
        #expect(!continued, "open windows of another window configuration are not continued")
    }

    /// Features are aggregated on shards; every feature sees its values in record order on any number of them,
    /// so the windows are the same, and a checkpoint taken with one count continues with another.
    @Test func theNumberOfShardsChangesNothing() {
        let clock = ManualClock()
        let lines = (0..<900).map { i in
            #"{"ts":"2026-11-26T10:\#(String(format: "%02d", i / 60)):\#(String(format: "%02d", i % 60))Z","model":"m\#(i % 2)","features":{"x":\#(Double(i) * 0.37),"y":\#(i % 7),"c":"v\#(i % 11)","d":"w\#(i)"},"prediction":{"label":"a","score":0.5},"actual":"\#(i % 3 == 0 ? "a" : "b")"}"#
        }
        let batches = stride(from: 0, to: lines.count, by: 100).map {
            Self.batch(Array(lines[$0..<min($0 + 100, lines.count)]))
        }
        func run(shards: [Int]) -> [WindowReport] {
            var closed: [WindowReport] = []
            var a = Aggregator(
                schema: .default, windows: [WindowSpec(size: .seconds(120), slide: .seconds(60))],
                telemetry: quietTelemetry(), shards: shards[0], clock: clock.read)
            for (i, batch) in batches.enumerated() {
                a.add(batch, closed: &closed)
                if i == 4 {  // a checkpoint, continued on another number of shards
                    var b = Aggregator(
                        schema: .default, windows: [WindowSpec(size: .seconds(120), slide: .seconds(60))],
                        telemetry: quietTelemetry(), shards: shards[1],
                        clock: clock.read)
                    let restored = b.restore(a.state)
                    #expect(restored)
                    a = b
                }
            }
            a.closeAll(into: &closed)
            return closed
        }
        let one = run(shards: [1, 1])
        #expect(one.count > 20 && one.allSatisfy { $0.features.count == 7 })
        #expect(run(shards: [3, 3]) == one)
        #expect(run(shards: [1, 4]) == one)
        #expect(run(shards: [2, 1]) == one)
    }
}
