import DriftCore
import DriftEvaluate
import DriftRecords
import DriftStats
import DriftWindows

/// All open windows of one model, for every configured window size, and what the model's past windows
/// settled (each feature's type, the features known so far).
struct ModelWindows {
    struct PerSpec: Codable {
        var tracker: WindowTracker
        var open: [Int64: WindowAccumulator] = [:]
        /// Late records and rejected lines that arrived while no window was open (after an idle timeout closed
        /// them all): counted in the next window that opens.
        var pendingLate = 0
        var pendingRejected = 0
    }

    let model: String
    var specs: [PerSpec]
    /// Types settled by the reference or by earlier windows, so that a feature keeps its type.
    var types: [String: FeatureType] = [:]
    /// The model's reference, when the config names one.
    let reference: ReferenceProfile.Model?
    private let binnersByName: [String: FeatureBinner]
    /// Binners by feature id, looked up by name once per id (the shards read them).
    private(set) var binners: [FeatureBinner?] = []
    private var resolved: [Bool] = []
    /// Reused by every record's placement.
    private var scratchWindows: [Int64] = []
    private var scratchClosed: [Int64] = []

    init(model: String, specs: [WindowSpec], reference: ReferenceProfile.Model? = nil) {
        self.model = model
        self.specs = specs.map { PerSpec(tracker: WindowTracker(spec: $0)) }
        self.reference = reference
        binnersByName = reference?.features.mapValues(FeatureBinner.init) ?? [:]
        types = reference?.features.mapValues(\.type) ?? [:]
    }

    /// Makes sure every feature of `record` has its binner looked up.
    private mutating func resolveBinners(_ record: Record, _ batch: RecordBuffer.View, _ ids: [Int32], _ names: [String]) {
        guard !binnersByName.isEmpty else { return }
        for (_, feature) in batch.values(of: record) {
            let id = Int(ids[Int(feature)])
            if id < resolved.count && resolved[id] { continue }
            if id >= resolved.count {
                resolved.append(contentsOf: repeatElement(false, count: id + 1 - resolved.count))
                binners.append(contentsOf: repeatElement(nil, count: id + 1 - binners.count))
            }
            binners[id] = binnersByName[names[id]]
            resolved[id] = true
        }
    }

    /// What a checkpoint keeps: everything but the reference (which is loaded again).
    struct State: Codable {
        var model: String
        var specs: [PerSpec]
        var types: [String: FeatureType]
    }

    init(state: State, reference: ReferenceProfile.Model?) {
        self.init(model: state.model, specs: state.specs.map(\.tracker.spec), reference: reference)
        specs = state.specs
        types.merge(state.types) { fromReference, _ in fromReference }
    }

    /// Closes the windows of every size whose idle timeout has passed since `lastRecord` (wall clock).
    mutating func closeIdle(now: Int64, lastRecord: Int64, names: [String], shards: FeatureShards,
                            into closed: inout [WindowReport]) {
        for i in specs.indices where now - lastRecord >= specs[i].tracker.spec.idleTimeout.nanoseconds {
            for start in specs[i].tracker.closeAll() {
                closed.append(report(spec: i, start: start, names: names, shards: shards))
            }
        }
    }

    /// Places a record (and the rejected lines that preceded it) in its windows: counts it there, appends where
    /// its values go to `placements` (for the shards), and the windows it closed to `closing`, whose reports
    /// are to be made once the shards have taken this batch. `model` is this model's id in the aggregator; `ids`
    /// translates the record's feature ids to the aggregator's; `names` are the feature names by those.
    mutating func add(_ record: Record, index: Int, model: Int32, in batch: RecordBuffer.View, ids: [Int32],
                      rejectedBefore: Int, names: [String], shards: FeatureShards,
                      placements: inout [FeatureShards.Placement],
                      closing: inout [(model: Int32, spec: Int, start: Int64)]) {
        resolveBinners(record, batch, ids, names)
        for i in specs.indices {
            let late = specs[i].tracker.place(record.time, windows: &scratchWindows, closed: &scratchClosed)
            for start in scratchWindows {
                let slot = withAccumulator(i, start, shards) { $0.add(record, in: batch) }
                placements.append(.init(record: Int32(index), slot: slot, model: model))
            }
            specs[i].pendingLate += late ? 1 : 0
            specs[i].pendingRejected += rejectedBefore
            if specs[i].pendingLate + specs[i].pendingRejected > 0,
                let newest = scratchWindows.last ?? specs[i].tracker.newestOpen
            {
                let (late, rejected) = (specs[i].pendingLate, specs[i].pendingRejected)
                withAccumulator(i, newest, shards) {
                    $0.late += late
                    $0.rejected += rejected
                }
                specs[i].pendingLate = 0
                specs[i].pendingRejected = 0
            }
            for start in scratchClosed { closing.append((model, i, start)) }
        }
    }

    /// Calls `body` on the accumulator of an open window, made (with a slot) if it has none yet; returns its slot.
    @discardableResult
    private mutating func withAccumulator(_ i: Int, _ start: Int64, _ shards: FeatureShards,
                                          _ body: (inout WindowAccumulator) -> Void) -> Int32 {
        // One hash lookup for an open window, changed in place (a `default:` subscript captured the shards in a
        // closure for every record).
        if let index = specs[i].open.index(forKey: start) {
            body(&specs[i].open.values[index])
            return specs[i].open.values[index].slot
        }
        var accumulator = WindowAccumulator(slot: shards.allocate())
        body(&accumulator)
        specs[i].open[start] = accumulator
        return accumulator.slot
    }

    /// Counts rejected lines in the newest open window of every size (lines after the input's last record).
    mutating func addRejected(_ n: Int, shards: FeatureShards) -> Bool {
        var counted = false
        for i in specs.indices {
            if let newest = specs[i].tracker.newestOpen {
                withAccumulator(i, newest, shards) { $0.rejected += n }
                counted = true
            }
        }
        return counted
    }

    /// Closes every open window, oldest first per size.
    mutating func closeAll(names: [String], shards: FeatureShards, into closed: inout [WindowReport]) {
        for i in specs.indices {
            for start in specs[i].tracker.closeAll() {
                closed.append(report(spec: i, start: start, names: names, shards: shards))
            }
        }
    }

    /// Gives each restored open window a slot and hands its features to the shards.
    mutating func distribute(to shards: FeatureShards) {
        for i in specs.indices {
            for start in specs[i].open.keys.sorted() {
                let slot = shards.allocate()
                shards.restore(specs[i].open[start]!.features, slot: slot)
                specs[i].open[start]!.features = []
                specs[i].open[start]!.slot = slot
            }
        }
    }

    /// The checkpoint state, the open windows' features gathered from the shards.
    func state(shards: FeatureShards) -> State {
        var state = State(model: model, specs: specs, types: types)
        for i in state.specs.indices {
            for (start, acc) in state.specs[i].open {
                state.specs[i].open[start]!.features = shards.features(of: acc.slot, take: false)
            }
        }
        return state
    }

    /// Removes a closed window and makes its report, its features taken from the shards.
    mutating func report(spec i: Int, start: Int64, names byID: [String], shards: FeatureShards) -> WindowReport {
        var acc = specs[i].open.removeValue(forKey: start) ?? WindowAccumulator(slot: -1)
        if acc.slot >= 0 { acc.features = shards.features(of: acc.slot, take: true) }
        return report(spec: i, start: start, acc, names: byID)
    }

    private mutating func report(spec i: Int, start: Int64, _ acc: WindowAccumulator, names byID: [String])
        -> WindowReport
    {
        let tracker = specs[i].tracker
        var present: [String: FeatureAccumulator] = [:]
        for (id, a) in acc.features.enumerated() { if let a { present[byID[id]] = a } }
        var summaries: [FeatureSummary] = []
        let names = Set(types.keys).union(present.keys).sorted()
        summaries.reserveCapacity(names.count)
        for name in names {
            let featureReference = reference?.features[name]
            let a = present[name] ?? FeatureAccumulator(binCount: binnersByName[name]?.binCount ?? 0)
            let type = types[name] ?? a.observedType ?? .numeric
            if types[name] == nil, a.observedType != nil { types[name] = type }
            var summary = FeatureSummary(feature: name, type: type, accumulator: a, records: acc.records)
            if let featureReference {
                summary.drift = DriftEvaluator.evaluate(a, records: acc.records, reference: featureReference)
                summary.histogram = a.bins
                if type == .categorical { summary.unseen = a.unseen }
            }
            summaries.append(summary)
        }
        var report = WindowReport(
            model: model, window: tracker.spec.label, start: EventTime(nanoseconds: start), end: tracker.end(of: start),
            records: acc.records, late: acc.late, rejected: acc.rejected, features: summaries)
        report.performance = acc.performance
        return report
    }
}
