import DriftStats

/// One open window's feature accumulators on one shard, found by the aggregator's feature id: as many as the
/// window has features, whatever the number of features of every model together.
///
/// A fleet's models name their features differently, so the ids of the whole input run into the tens of
/// thousands while a window has tens of features; a table indexed by id made every window as large as the input.
/// Here the accumulators are dense, in the order the features came, and a small open-addressing index finds them
/// by their place in the shard (the id divided by the shard count, so consecutive ids fill consecutive slots).
struct WindowFeatures {
    private(set) var ids: [Int32] = []
    var accumulators: [FeatureAccumulator] = []
    /// Slot → position + 1 (0: empty), at most half full.
    private var index: [Int32] = []
    /// The number of shards: an id's place is the id divided by it.
    private let shards: Int

    init(shards: Int) {
        self.shards = shards
    }

    var count: Int { ids.count }
    var capacity: Int { accumulators.capacity }

    /// Makes room for `n` features (their index too), so that the first ones do not grow the table by doubling.
    mutating func reserve(_ n: Int) {
        guard n > 0 else { return }
        ids.reserveCapacity(n)
        accumulators.reserveCapacity(n)
        var slots = 8
        while slots < 2 * n { slots *= 2 }
        if index.count < slots { rebuildIndex(slots: slots) }
    }

    /// The position of feature `id` (whose place in the shard is `place`), added with `make` if new.
    @inline(__always)
    mutating func position(of id: Int32, place: Int, make: () -> FeatureAccumulator) -> Int {
        if !index.isEmpty {
            let mask = index.count - 1
            var slot = place & mask
            while index[slot] != 0 {
                let position = Int(index[slot]) - 1
                if ids[position] == id { return position }
                slot = (slot + 1) & mask
            }
        }
        return insert(id, place: place, make())
    }

    private mutating func insert(_ id: Int32, place: Int, _ accumulator: FeatureAccumulator) -> Int {
        ids.append(id)
        accumulators.append(accumulator)
        if 2 * ids.count > index.count {
            rebuildIndex(slots: max(8, 2 * index.count))
        } else {
            let mask = index.count - 1
            var slot = place & mask
            while index[slot] != 0 { slot = (slot + 1) & mask }
            index[slot] = Int32(ids.count)
        }
        return ids.count - 1
    }

    private mutating func rebuildIndex(slots: Int) {
        index = [Int32](repeating: 0, count: slots)
        let mask = slots - 1
        for (position, id) in ids.enumerated() {
            var slot = Int(id) / shards & mask
            while index[slot] != 0 { slot = (slot + 1) & mask }
            index[slot] = Int32(position + 1)
        }
    }
}
