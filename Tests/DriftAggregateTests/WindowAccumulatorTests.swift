import DriftStats
import Foundation
import Testing

@testable import DriftAggregate

/// A window's features are kept by id, only those it has; checkpoints written before (an array by id, null where
/// the window had no such feature) still read.
@Suite struct WindowAccumulatorTests {
    static func accumulator(_ values: [Double]) -> FeatureAccumulator {
        var a = FeatureAccumulator()
        for x in values { a.addNumber(x) }
        return a
    }

    @Test func featuresRoundTripInIdOrder() throws {
        var w = WindowAccumulator(slot: 3)
        w.records = 4
        w.features = [7: Self.accumulator([1, 2]), 2: Self.accumulator([5])]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // as checkpoints are written
        let bytes = try encoder.encode(w)
        let back = try JSONDecoder().decode(WindowAccumulator.self, from: bytes)
        #expect(back.features == w.features && back.records == 4)
        // The same state, the same bytes, whatever the dictionary's order.
        var other = WindowAccumulator(slot: 3)
        other.records = 4
        other.features = [2: Self.accumulator([5]), 7: Self.accumulator([1, 2])]
        #expect(try encoder.encode(other) == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""features":[2,"#))
    }

    @Test func aCheckpointOfTheEarlierArrayFormReads() throws {
        let a = String(decoding: try JSONEncoder().encode(Self.accumulator([1, 2, 3])), as: UTF8.self)
        let performance = String(decoding: try JSONEncoder().encode(PerformanceAccumulator()), as: UTF8.self)
        let old = #"{"records":3,"late":0,"rejected":1,"features":[null,null,\#(a)],"performance":\#(performance)}"#
        let w = try JSONDecoder().decode(WindowAccumulator.self, from: Data(old.utf8))
        #expect(w.records == 3 && w.rejected == 1)
        #expect(w.features == [2: Self.accumulator([1, 2, 3])])
    }
}
