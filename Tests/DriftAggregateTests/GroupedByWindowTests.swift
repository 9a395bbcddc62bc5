import DriftCore
import Testing

@testable import DriftAggregate

/// The shards take a batch's placements with each window's together, in record order within a window: each
/// accumulator sees its values in the order they came, whatever the grouping.
struct GroupedByWindowTests {
    /// Placements of `records` records over `windows` windows at random, numbered by their record.
    static func placements(records: Int, windows: Int, seed: UInt64) -> [FeatureShards.Placement] {
        var rng = SplitMix64(seed: seed)
        return (0..<records).map { i in
            FeatureShards.Placement(slot: Int32(rng.next() % UInt64(windows)), model: 0, values: i..<(i + 1))
        }
    }

    static func key(_ p: FeatureShards.Placement) -> [Int32] { [p.slot, p.first] }

    @Test(arguments: [(200, 3), (4_000, 1_000), (8_000, 30_000), (1, 1), (500, 40)])
    func scatteredPlacementsAreGroupedBySlotInRecordOrder(records: Int, windows: Int) {
        let placements = Self.placements(records: records, windows: windows, seed: UInt64(records * 31 + windows))
        let (grouped, scattered) = FeatureShards.groupedByWindow(placements)
        // The exact answer: a stable sort by slot.
        let expected = placements.enumerated().sorted {
            $0.element.slot != $1.element.slot ? $0.element.slot < $1.element.slot : $0.offset < $1.offset
        }.map(\.element)
        if scattered {
            #expect(grouped.map(Self.key) == expected.map(Self.key))
        } else {
            #expect(grouped.map(Self.key) == placements.map(Self.key), "kept as they came")
        }
        #expect(scattered == (records >= 200 && windows > 1), "random slots switch at almost every record")
    }

    /// Placements that come in runs (one model, or few) are kept as they are: grouping them would cost a sort and
    /// gain nothing.
    @Test func placementsInRunsAreKeptAsTheyCame() {
        let runs = (0..<1_000).map { i in
            FeatureShards.Placement(slot: Int32(i / 100 % 3), model: 0, values: i..<(i + 1))
        }
        let (grouped, scattered) = FeatureShards.groupedByWindow(runs)
        #expect(!scattered)
        #expect(grouped.map(Self.key) == runs.map(Self.key))
    }
}
