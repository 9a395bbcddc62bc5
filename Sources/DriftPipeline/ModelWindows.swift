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
    /// Binners by feature id, looked up by name once per id.
    private var binners: [FeatureBinner?] = []
    private var resolved: [Bool] = []

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
        for (feature, _) in batch.values(of: record) {
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

    var state: State { State(model: model, specs: specs, types: types) }

    init(state: State, reference: ReferenceProfile.Model?) {
        self.init(model: state.model, specs: state.specs.map(\.tracker.spec), reference: reference)
        specs = state.specs
        types.merge(state.types) { fromReference, _ in fromReference }
    }

    /// Closes the windows of every size whose idle timeout has passed since `lastRecord` (wall clock).
    mutating func closeIdle(now: Int64, lastRecord: Int64, names: [String], into closed: inout [WindowReport]) {
        for i in specs.indices where now - lastRecord >= specs[i].tracker.spec.idleTimeout.nanoseconds {
            for start in specs[i].tracker.closeAll() { closed.append(report(spec: i, start: start, names: names)) }
        }
    }

    /// Adds a record (and the rejected lines that preceded it) to its windows; returns the windows it closed.
    /// `ids` translates the record's feature ids to the aggregator's; `names` are the feature names by those.
    mutating func add(_ record: Record, in batch: RecordBuffer.View, ids: [Int32], rejectedBefore: Int, names: [String],
                      closed: inout [WindowReport]) {
        resolveBinners(record, batch, ids, names)
        for i in specs.indices {
            let placement = specs[i].tracker.place(record.time)
            for start in placement.windows {
                specs[i].open[start, default: WindowAccumulator()].add(record, in: batch, ids: ids, binners: binners)
            }
            specs[i].pendingLate += placement.late ? 1 : 0
            specs[i].pendingRejected += rejectedBefore
            if let newest = placement.windows.last ?? specs[i].tracker.newestOpen {
                specs[i].open[newest, default: WindowAccumulator()].late += specs[i].pendingLate
                specs[i].open[newest, default: WindowAccumulator()].rejected += specs[i].pendingRejected
                specs[i].pendingLate = 0
                specs[i].pendingRejected = 0
            }
            for start in placement.closed { closed.append(report(spec: i, start: start, names: names)) }
        }
    }

    /// Counts rejected lines in the newest open window of every size (lines after the input's last record).
    mutating func addRejected(_ n: Int) -> Bool {
        var counted = false
        for i in specs.indices {
            if let newest = specs[i].tracker.newestOpen {
                specs[i].open[newest, default: WindowAccumulator()].rejected += n
                counted = true
            }
        }
        return counted
    }

    /// Closes every open window, oldest first per size.
    mutating func closeAll(names: [String], into closed: inout [WindowReport]) {
        for i in specs.indices {
            for start in specs[i].tracker.closeAll() { closed.append(report(spec: i, start: start, names: names)) }
        }
    }

    private mutating func report(spec i: Int, start: Int64, names byID: [String]) -> WindowReport {
        let acc = specs[i].open.removeValue(forKey: start) ?? WindowAccumulator()
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
