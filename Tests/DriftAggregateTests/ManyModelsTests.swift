import DriftAggregate
import DriftCore
import DriftRecords
import DriftStats
import DriftTestSupport
import DriftWindows
import Testing

/// Many models in one input: a batch switches model at nearly every record, and the aggregator takes each
/// window's values together (for the cache), yet every accumulator must see its values in record order.
@Suite struct ManyModelsTests {
    /// 40 models interleaved record by record give exactly the windows that each model's records give alone, in
    /// batches of their own: same counts, moments, quantiles, distinct counts and top values.
    @Test func interleavedModelsGiveTheWindowsEachModelGivesAlone() {
        var rng = SeededGenerator(seed: 16)
        let models = 40
        let lines = (0..<8000).map { i in
            let t = EventTime(nanoseconds: 1_795_651_200_000_000_000 + Int64(i) * 37_000_000)
            let x = (rng.unit() * 1e6).rounded() / 1e3
            return
                #"{"ts":"\#(t.rfc3339)","model":"m\#(i % models)","features":{"x":\#(x),"c":"v\#(Int(rng.unit() * 300))"}}"#
        }
        func windows(_ batches: [[String]]) -> [String: WindowReport] {
            var a = Aggregator(
                schema: .default, windows: [WindowSpec(size: .seconds(10)), WindowSpec(size: .seconds(60))],
                telemetry: quietTelemetry(), shards: 2)
            var closed: [WindowReport] = []
            for batch in batches { a.add(lineBatch(batch), closed: &closed) }
            a.closeAll(into: &closed)
            return Dictionary(uniqueKeysWithValues: closed.map { ("\($0.model) \($0.window) \($0.start.rfc3339)", $0) })
        }
        let interleaved = windows(stride(from: 0, to: lines.count, by: 2000).map { Array(lines[$0..<$0 + 2000]) })
        let alone = windows(
            (0..<models).map { m in lines.enumerated().filter { $0.offset % models == m }.map(\.element) })
        #expect(interleaved.count == alone.count && interleaved.count > 40 * 6)
        for (key, report) in alone {
            #expect(interleaved[key] == report, "\(key)")
        }
    }

    /// Models of a real fleet name their features differently: 300 models of 8 features each (2,400 names) cost
    /// the room of their own features, not of every model's. Each window held a table as long as the names of the
    /// whole input (720k accumulators' room for 300 open windows, 4.8 GB for 1,000 such models in a replay).
    @Test func modelsWithFeaturesOfTheirOwnCostTheirOwnFeatures() {
        let models = 300
        let lines = (0..<models * 4).map { i in
            let t = EventTime(nanoseconds: 1_795_651_200_000_000_000 + Int64(i) * 1_000_000)
            let m = i % models
            let features = (0..<8).map { #""m\#(m)_f\#($0)":\#(Double(i % 97) + Double($0) / 8)"# }
            return #"{"ts":"\#(t.rfc3339)","model":"m\#(m)","features":{\#(features.joined(separator: ","))}}"#
        }
        var a = Aggregator(
            schema: .default, windows: [WindowSpec(size: .seconds(60))], telemetry: quietTelemetry(), shards: 2)
        var closed: [WindowReport] = []
        a.add(lineBatch(lines), closed: &closed)
        #expect(closed.isEmpty)
        #expect(a.accumulatorCapacity <= 2 * models * 8, "room for \(a.accumulatorCapacity) accumulators")
        a.closeAll(into: &closed)
        #expect(closed.count == models)
        for report in closed {
            #expect(report.features.map(\.feature) == (0..<8).map { "\(report.model)_f\($0)" })
            #expect(report.features.allSatisfy { $0.count == 4 })
        }
    }
}
