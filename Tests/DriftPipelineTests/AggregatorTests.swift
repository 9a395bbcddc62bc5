import DriftCore
import DriftPipeline
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
        Aggregator(schema: .default, windows: [WindowSpec(size: .seconds(60), idleTimeout: .seconds(30))],
                   maxLineBytes: 1 << 20, telemetry: quietTelemetry(), clock: clock.read)
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
        a.add(Self.batch([#"{"ts":"2026-11-26T10:00:06Z","model":"m","features":{"x":2}}"#,
                          #"{"ts":"2026-11-26T10:01:06Z","model":"m","features":{"x":3}}"#]), closed: &closed)
        clock.advance(seconds: 30)
        a.closeIdle(into: &closed)
        #expect(closed.map(\.start.rfc3339) == ["2026-11-26T10:00:00Z", "2026-11-26T10:01:00Z"])
        #expect(closed[1].late == 1 && closed[1].records == 1)
    }

    @Test func aRestoredAggregatorContinuesExactlyAsTheOriginal() throws {
        let clock = ManualClock()
        var original = aggregator(clock: clock)
        var closedOriginal: [WindowReport] = []
        let first = Self.batch((0..<50).map { #"{"ts":"2026-11-26T10:00:\#(String(format: "%02d", $0))Z","model":"m","features":{"x":\#($0),"c":"v\#($0 % 3)"}}"# })
        let second = Self.batch((0..<50).map { #"{"ts":"2026-11-26T10:01:\#(String(format: "%02d", $0))Z","model":"m","features":{"x":\#($0 * 2),"c":"w"}}"# }
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
        var otherWindows = Aggregator(schema: .default, windows: [WindowSpec(size: .seconds(300))], maxLineBytes: 1 << 20,
                                      telemetry: quietTelemetry(), clock: clock.read)
        let continued = otherWindows.restore(state)
        #expect(!continued, "open windows of another window configuration are not continued")
    }
}
