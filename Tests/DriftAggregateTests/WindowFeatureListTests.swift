import DriftAggregate
import DriftCore
import DriftRecords
import DriftStats
import DriftTestSupport
import DriftWindows
import Testing

/// A closed window lists, in name order, every feature its model has a type for and every feature it saw. A
/// feature keeps the type its first window with values gave it; one with only nulls gets no type to keep.
@Suite struct WindowFeatureListTests {
    @Test func aWindowListsTypedAndSeenFeaturesInNameOrder() throws {
        var a = Aggregator(
            schema: .default, windows: [WindowSpec(size: .seconds(60))], telemetry: quietTelemetry(), shards: 2)
        let minute = 1_795_651_200
        let lines = [
            // Window 1: a category, a number, a feature with only nulls; keys not in name order.
            #"{"ts": \#(minute), "features": {"z": null, "b": 1.5, "a": "x"}}"#,
            #"{"ts": \#(minute + 1), "features": {"b": 2.5, "a": "y", "z": null}}"#,
            // Window 2: only a new feature.
            #"{"ts": \#(minute + 60), "features": {"c": 7}}"#,
            // Window 3: `a` as a number (invalid for a categorical feature), `b` again, `z` with a value at last.
            #"{"ts": \#(minute + 120), "features": {"a": 5, "z": "late", "b": 0.5}}"#,
        ]
        var closed: [WindowReport] = []
        a.add(lineBatch(lines), closed: &closed)
        a.closeAll(into: &closed)
        try #require(closed.count == 3)
        func listed(_ w: Int) -> [String] {
            closed[w].features.map { "\($0.feature):\($0.type == .numeric ? "n" : "c"):\($0.count):\($0.invalid)" }
        }
        #expect(listed(0) == ["a:c:2:0", "b:n:2:0", "z:n:0:0"])
        // `z` had no value, so no type to keep: it is not listed where it was not seen.
        #expect(listed(1) == ["a:c:0:0", "b:n:0:0", "c:n:1:0"])
        #expect(listed(2) == ["a:c:0:1", "b:n:1:0", "c:n:0:0", "z:c:1:0"])
    }
}
