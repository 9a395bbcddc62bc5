import Dispatch
import DriftEvaluate
import DriftRecords
import DriftStats
import HeapModule

/// The feature accumulators of every open window, split by feature over shards that take a batch's values in
/// parallel (DESIGN §1: aggregation spread over cores).
///
/// Each feature belongs to one shard (its id modulo the shard count), which sees the feature's values in record
/// order: every sketch gets the same input in the same order as on one thread, so the output does not depend on
/// the number of shards, nor on where batches begin and end. Windows are named by a slot, a small integer the
/// aggregator hands out while the window is open.
final class FeatureShards: @unchecked Sendable {  // a shard is touched by one thread at a time, see `add`
    /// One record going into one window.
    struct Placement {
        var slot: Int32
        /// The aggregator's model id, for the binners.
        var model: Int32
        /// Where the record's values are in the batch: copied from the record while the records are read in
        /// order, so that the shards, which take the placements grouped by window (out of record order), do not
        /// read each record again, a cache miss each (a third of the shards' own time with 1,000 models).
        var first: Int32
        var count: Int32

        init(slot: Int32, model: Int32, values: Range<Int>) {
            self.slot = slot
            self.model = model
            first = Int32(values.lowerBound)
            count = Int32(values.count)
        }
    }

    private final class Shard {
        /// By slot: the window's features that this shard takes (its ids modulo the shard count).
        var windows: [WindowFeatures] = []
    }

    private let shards: [Shard]
    /// Slots of closed windows, handed out again (lowest first, so that the tables stay small).
    private var freeSlots = Heap<Int32>()
    /// By slot: how many features each shard's table is made with room for.
    private var expected: [Int32] = []
    private var nextSlot: Int32 = 0
    /// `output.profiles`: accumulators keep the sketches of mergeable profiles. Set between batches.
    var profiles = false

    init(count: Int) {
        shards = (0..<max(1, count)).map { _ in Shard() }
    }

    /// The shard that takes feature `id` (the aggregator's).
    private func owner(of id: Int) -> Int { id % shards.count }
    /// Where feature `id` is in its shard's tables.
    private func place(of id: Int) -> Int { id / shards.count }

    /// Adds the values of the placed records of `batch` to their windows, each shard its own features, the shards
    /// in parallel. Returns when all are done.
    /// - Parameters:
    ///   - ids: the batch parser's feature ids → the aggregator's.
    ///   - binners: by model id, then by the aggregator's feature id (empty: none, without a reference).
    func add(_ placements: [Placement], of batch: RecordBuffer, ids: [Int32], binners: [[FeatureBinner?]]) {
        guard !placements.isEmpty else { return }
        let grouped = Self.groupedByWindow(placements)
        batch.withView { view in
            // Which shard takes each of the parser's feature ids, worked out once per batch (not a division per
            // value).
            // One past the table: values dropped by the aggregator, which no shard takes.
            let owners = ids.map { $0 < 0 ? -1 : owner(of: Int($0)) } + [-1]
            let places = ids.map { $0 < 0 ? -1 : place(of: Int($0)) } + [-1]
            let work = Work(
                placements: grouped.placements, scattered: grouped.scattered, view: view,
                ids: ids, owners: owners,
                places: places, binners: binners, expected: expected)
            if shards.count == 1 {
                add(work, shard: 0)
            } else {
                DispatchQueue.concurrentPerform(iterations: shards.count) { add(work, shard: $0) }
            }
        }
    }

    /// The placements with each window's together, in record order within a window. A batch of many models
    /// switches window at almost every record, and each switch reaches for another window's accumulators, cold in
    /// the cache: grouped, a window's are taken once per batch. Each accumulator still sees its values in record
    /// order, so the output is the same (`ManyModelsTests`; byte-identical metric files for 1, 100 and 1,000
    /// models). Placements that already come in runs (one model) are kept as they are.
    /// `scattered` when they had to be grouped: then each window gets few values per batch, and categories go
    /// through the accumulators' logs (``CategoricalAccumulator/log(bytes:)``).
    static func groupedByWindow(_ placements: [Placement]) -> (placements: [Placement], scattered: Bool) {
        var switches = 0
        for i in placements.indices.dropFirst() where placements[i].slot != placements[i - 1].slot { switches += 1 }
        guard switches > placements.count / 16 else { return (placements, false) }
        // A counting sort by slot, stable: slots are small (the lowest free one is handed out first). A comparison
        // sort of the indices cost 580 instructions a placement with 1,000 models, 1% of a replay.
        var next = [Int](repeating: 0, count: Int(placements.lazy.map(\.slot).max()!) + 2)
        for p in placements { next[Int(p.slot) + 1] += 1 }
        for slot in next.indices.dropFirst() { next[slot] += next[slot - 1] }
        let grouped = [Placement](unsafeUninitializedCapacity: placements.count) { buffer, count in
            for p in placements {
                (buffer.baseAddress! + next[Int(p.slot)]).initialize(to: p)
                next[Int(p.slot)] += 1
            }
            count = placements.count
        }
        return (grouped, true)
    }

    /// What the shards read, shared while they run.
    private struct Work: @unchecked Sendable {  // read-only while the shards run
        let placements: [Placement]
        let scattered: Bool
        let view: RecordBuffer.View
        let ids: [Int32]
        /// By the parser's feature id: the shard that takes the feature, and where it is in the shard's tables.
        let owners: [Int]
        let places: [Int]
        let binners: [[FeatureBinner?]]
        let expected: [Int32]
    }

    private func add(_ work: Work, shard s: Int) {
        // Worked on as locals, not through the class or the nested array: no exclusivity or uniqueness check per
        // value. Consecutive placements mostly go to one window, whose table is taken out once for them.
        var windows: [WindowFeatures] = []
        swap(&windows, &shards[s].windows)
        let empty = WindowFeatures(shards: shards.count)
        var table = empty
        var tableSlot = -1
        defer {
            if tableSlot >= 0 { swap(&table, &windows[tableSlot]) }
            swap(&windows, &shards[s].windows)
        }
        for p in work.placements {
            let slot = Int(p.slot)
            if slot != tableSlot {
                if tableSlot >= 0 { swap(&table, &windows[tableSlot]) }
                while windows.count <= slot { windows.append(empty) }
                swap(&table, &windows[slot])
                tableSlot = slot
                if table.capacity == 0 { table.reserve(Int(work.expected[slot])) }
            }
            let binners = Int(p.model) < work.binners.count ? work.binners[Int(p.model)] : []
            let values = UnsafeBufferPointer(rebasing: work.view.values[Int(p.first)..<Int(p.first + p.count)])
            for (value, feature) in values {
                guard work.owners[Int(feature)] == s else { continue }
                let id = work.ids[Int(feature)]
                let binner = Int(id) < binners.count ? binners[Int(id)] : nil
                let position = table.position(of: id, place: work.places[Int(feature)]) {
                    newAccumulator(binCount: binner?.binCount ?? 0)
                }
                Self.add(value, work.view, binner, logged: work.scattered, to: &table.accumulators[position])
            }
        }
    }

    /// One value into its feature's accumulator, in place; features with a reference are also counted on their
    /// bins.
    private static func add(
        _ value: FeatureValue, _ batch: RecordBuffer.View, _ binner: FeatureBinner?, logged: Bool,
        to a: inout FeatureAccumulator
    ) {
        switch value {
        case .number(let x):
            a.addNumber(x)
            a.numberHLL?.add(number: x)
            if x.isFinite, let placed = binner?.place(number: x) {
                a.countBin(placed.bin, outOfRange: placed.outOfRange)
            }
        case .category(let range):
            let bytes = batch.bytes(range)
            if logged { a.logCategory(bytes: bytes) } else { a.addCategory(bytes: bytes) }
            a.textHLL?.add(text: bytes)
            if let binner, let placed = binner.place(category: String(decoding: bytes, as: UTF8.self)) {
                a.countBin(placed.bin, unseen: placed.unseen)
            }
        case .structured:
            a.addStructured()
        case .elements:
            a.addListed()
        case .null:
            break  // missing, counted by difference at close; the entry makes the feature appear in this window
        }
    }

    /// A slot for a window that opens, expected to hold `features` features (as many as its model's last window
    /// had): each shard's table is made with room for its share of them, not grown by doubling (which left a third
    /// of the room of 10,000 models' windows empty).
    func allocate(features: Int = 0) -> Int32 {
        let slot: Int32
        if let free = freeSlots.popMin() {
            slot = free
        } else {
            slot = nextSlot
            nextSlot += 1
        }
        while expected.count <= Int(slot) { expected.append(0) }
        expected[Int(slot)] = Int32((features + shards.count - 1) / shards.count)
        return slot
    }

    /// The features of the window in `slot`, by feature id, gathered from every shard. `take` empties the slot
    /// and frees it (the window closed).
    func features(of slot: Int32, take: Bool) -> [Int32: FeatureAccumulator] {
        let slot = Int(slot)
        var all: [Int32: FeatureAccumulator] = [:]
        all.reserveCapacity(shards.reduce(0) { slot < $1.windows.count ? $0 + $1.windows[slot].count : $0 })
        for shard in shards where slot < shard.windows.count {
            guard take else {
                for (id, accumulator) in zip(shard.windows[slot].ids, shard.windows[slot].accumulators) {
                    var settled = accumulator
                    settled.settle()
                    all[id] = settled
                }
                continue
            }
            // Taken out of the shard and moved into the dictionary one by one: no copy of each accumulator to make
            // and release (a closed window of 1,000 models' is taken 11,000 times in a replay of 1M records).
            var mine = WindowFeatures(shards: shards.count)
            swap(&mine, &shard.windows[slot])
            while var accumulator = mine.accumulators.popLast() {
                accumulator.settle()
                all[mine.ids[mine.accumulators.count]] = accumulator
            }
        }
        if take {
            freeSlots.insert(Int32(slot))  // a heap: sorting the list on every close was quadratic in open windows
        }
        return all
    }

    /// A feature's accumulator as a window first sees it: with the sketches of mergeable profiles when they are on.
    private func newAccumulator(binCount: Int = 0) -> FeatureAccumulator {
        var a = FeatureAccumulator(binCount: binCount)
        if profiles { a.keepProfile() }
        return a
    }

    /// Merges a closed finer window's features into the window in `slot` (``WindowSpec/feeds(_:)``), in id order.
    func merge(_ features: [Int32: FeatureAccumulator], into slot: Int32) {
        let slot = Int(slot)
        for id in features.keys.sorted() {
            let shard = shards[owner(of: Int(id))]
            while shard.windows.count <= slot { shard.windows.append(WindowFeatures(shards: shards.count)) }
            if shard.windows[slot].capacity == 0 { shard.windows[slot].reserve(Int(expected[slot])) }
            let position = shard.windows[slot].position(of: id, place: place(of: Int(id))) { newAccumulator() }
            shard.windows[slot].accumulators[position].merge(features[id]!)
        }
    }

    /// Puts a restored window's features into their shards, in id order.
    func restore(_ features: [Int32: FeatureAccumulator], slot: Int32) {
        let slot = Int(slot)
        for shard in shards {
            while shard.windows.count <= slot { shard.windows.append(WindowFeatures(shards: shards.count)) }
            shard.windows[slot] = WindowFeatures(shards: shards.count)
        }
        for id in features.keys.sorted() {
            let shard = shards[owner(of: Int(id))]
            _ = shard.windows[slot].position(of: id, place: place(of: Int(id))) { features[id]! }
        }
    }

    /// How many feature accumulators the open windows' tables have room for, over all shards: what the open
    /// windows' features cost in memory, beyond the values they hold.
    var capacity: Int { shards.reduce(0) { $0 + $1.windows.reduce(0) { $0 + $1.capacity } } }

    /// Empties and frees every slot.
    func removeAll() {
        for shard in shards { shard.windows = [] }
        freeSlots = Heap()
        expected = []
        nextSlot = 0
    }
}
