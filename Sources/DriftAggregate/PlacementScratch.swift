import DriftWindows

/// What placing a record in its model's windows needs beside the model: which window size feeds which, and arrays
/// reused by every record. One for all models, held by the aggregator: each model had its own, three more arrays
/// (and cache misses) per record when a batch switches model at every record (1,000 models).
struct PlacementScratch {
    /// By window size: the finer size merged into it (``WindowSpec/feeds(_:)``).
    let fedBy: [Int?]
    /// Starts of the windows that take the record, and of the windows it closed.
    var windows: [Int64] = []
    var closed: [Int64] = []
    /// By window size: the record went into a window of that size that feeds a coarser one.
    var covered: [Bool]

    init(specs: [WindowSpec]) {
        var fedBy = [Int?](repeating: nil, count: specs.count)
        for (i, j) in WindowSpec.feeds(specs).enumerated() { if let j { fedBy[j] = i } }
        self.fedBy = fedBy
        covered = [Bool](repeating: false, count: specs.count)
    }

    /// None: what the aggregator's is swapped with while a batch uses it (empty arrays allocate nothing).
    init() {
        fedBy = []
        covered = []
    }
}
