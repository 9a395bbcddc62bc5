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

        private enum CodingKeys: String, CodingKey { case tracker, open, pendingLate, pendingRejected }

        init(tracker: WindowTracker) {
            self.tracker = tracker
        }

        /// The open windows in the order of their starts: the same state, the same checkpoint bytes.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(tracker, forKey: .tracker)
            try c.encode(SortedPairs(open), forKey: .open)
            try c.encode(pendingLate, forKey: .pendingLate)
            try c.encode(pendingRejected, forKey: .pendingRejected)
        }
    }

    let model: String
    var specs: [PerSpec]
    /// Types settled by the reference or by earlier windows, so that a feature keeps its type.
    var types: [String: FeatureType] = [:] {
        didSet { typesByName = nil }
    }
    /// ``types`` in the order of their names, made again only when they change: every closed window lists its
    /// features in that order, and sorting and hashing the names of each window was 3% of a replay of 1,000 models.
    private var typesByName: [(name: String, type: FeatureType)]?
    /// The features this model has (the aggregator's ids), at most `limits.maxFeatures`, and the end of the
    /// newest window each was seen in (or the time it was admitted). A feature not seen for ``retireAfter`` of
    /// event time is retired: no longer reported, its id released (DESIGN §8: state of features that are gone is
    /// freed).
    var admitted: [Int32: Int64] = [:]
    /// Features retired since the aggregator last asked (``takeRetired()``): their ids are to be released.
    var retired: [Int32] = []
    /// The feature ids (a parser's) of the last few record shapes whose features were all admitted, most recent
    /// first: records of those shapes skip the admission check. Real logs alternate between a few shapes (an
    /// `actual` present or not, a key left out when null), so one shape missed on 40% of the benchmark's records;
    /// and several writers of a model are read by as many parsers, each with its own ids.
    var shapes: [(parser: Int, ids: [Int32])] = []
    static let shapesKept = 16
    /// The model's reference, when the config names one.
    let reference: ReferenceProfile.Model?
    let binnersByName: [String: FeatureBinner]
    /// Binners by feature id, looked up by name once per id (the shards read them).
    var binners: [FeatureBinner?] = []
    var resolved: [Bool] = []
    /// How many features the model's last closed window had: a window that opens is made with room for as many
    /// (not for every admitted feature: a model with many sparse features has few in each window).
    var lastWindowFeatures = 0
    /// The model's id in the label join, once it has one.
    var joinModel: Int32?
    /// `schema.types`: the type of a feature no reference and no earlier window settled.
    let overrides: [String: FeatureType]
    /// The reference can estimate performance: records' scores are binned (decided once, not per record).
    let scoring: Bool
    /// `performance.positive_label`: which class of a binary classifier is positive.
    let classes: PositiveClass
    /// By window size: the coarser size its closed windows are merged into (``WindowSpec/feeds(_:)``).
    let feeds: [Int?]

    init(
        model: String, specs: [WindowSpec], reference: ReferenceProfile.Model? = nil,
        overrides: [String: FeatureType] = [:], classes: PositiveClass = PositiveClass()
    ) {
        self.model = model
        self.classes = classes
        self.overrides = overrides
        self.specs = specs.map { PerSpec(tracker: WindowTracker(spec: $0)) }
        feeds = WindowSpec.feeds(specs)
        self.reference = reference
        binnersByName = reference?.features.mapValues(FeatureBinner.init) ?? [:]
        scoring = reference?.calibration != nil
        types = reference?.features.mapValues(\.type) ?? [:]
    }

    /// A model that comes back after it was evicted: its windows' trackers as they were, so that a window closed
    /// and written before is not opened again (a record for it is late).
    init(
        model: String, specs: [WindowSpec], reference: ReferenceProfile.Model?, overrides: [String: FeatureType],
        classes: PositiveClass, trackers: [WindowTracker]
    ) {
        self.init(model: model, specs: specs, reference: reference, overrides: overrides, classes: classes)
        for i in self.specs.indices where i < trackers.count && trackers[i].spec == specs[i] {
            self.specs[i].tracker = trackers[i]
        }
    }

    /// True when no window of the model is open: it can be evicted to make room for another model, keeping only
    /// its trackers.
    var isDormant: Bool { specs.allSatisfy { $0.open.isEmpty && $0.tracker.open.isEmpty } }

    var trackers: [WindowTracker] { specs.map(\.tracker) }

    /// Makes sure every feature of `record` has its binner looked up.
    mutating func resolveBinners(
        _ record: Record, _ batch: RecordBuffer.View, _ ids: [Int32], _ names: [String?]
    ) {
        guard !binnersByName.isEmpty else { return }
        for (_, feature) in batch.values(of: record) {
            guard Int(feature) < ids.count, ids[Int(feature)] >= 0 else { continue }  // a dropped value
            let id = Int(ids[Int(feature)])
            if id < resolved.count && resolved[id] { continue }
            if id >= resolved.count {
                resolved.append(contentsOf: repeatElement(false, count: id + 1 - resolved.count))
                binners.append(contentsOf: repeatElement(nil, count: id + 1 - binners.count))
            }
            binners[id] = names[id].flatMap { binnersByName[$0] }
            resolved[id] = true
        }
    }

    /// What a checkpoint keeps: everything but the reference (which is loaded again).
    struct State: Codable {
        var model: String
        var specs: [PerSpec]
        var types: [String: FeatureType]
        /// Admitted features and when each was last seen (absent in checkpoints of earlier versions: then every
        /// feature with a type or in an open window is admitted, seen at the newest event time).
        var admitted: [Int32: Int64]?

        private enum CodingKeys: String, CodingKey { case model, specs, types, admitted }

        init(model: String, specs: [PerSpec], types: [String: FeatureType], admitted: [Int32: Int64]?) {
            (self.model, self.specs, self.types, self.admitted) = (model, specs, types, admitted)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try c.encode(specs, forKey: .specs)
            try c.encode(types, forKey: .types)
            if let admitted { try c.encode(SortedPairs(admitted), forKey: .admitted) }
        }
    }

    init(
        state: State, reference: ReferenceProfile.Model?, overrides: [String: FeatureType], classes: PositiveClass
    ) {
        self.init(
            model: state.model, specs: state.specs.map(\.tracker.spec), reference: reference, overrides: overrides,
            classes: classes)
        specs = state.specs
        unfoldComposition()
        types.merge(state.types) { fromReference, _ in fromReference }
        admitted = state.admitted ?? [:]
    }

    /// Closes the windows of every size whose idle timeout has passed since `lastRecord` (wall clock).
    mutating func closeIdle(
        now: Int64, lastRecord: Int64, names: [String?], shards: FeatureShards,
        into closed: inout [ClosedWindow]
    ) {
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
    /// - Returns: whether the record was late for every window size.
    @discardableResult
    mutating func add(
        _ record: Record, model: Int32, in batch: RecordBuffer.View, ids: [Int32],
        rejectedBefore: Int, names: [String?], shards: FeatureShards,
        placements: inout [FeatureShards.Placement],
        closing: inout [(model: Int32, spec: Int, start: Int64)], scratch: inout PlacementScratch
    ) -> Bool {
        resolveBinners(record, batch, ids, names)
        let (scoring, classes) = (self.scoring, self.classes)  // copies: `withAccumulator` has `self` exclusively
        var lateEverywhere = true
        for i in specs.indices {
            let late = specs[i].tracker.place(record.time, windows: &scratch.windows, closed: &scratch.closed)
            // In a finer window that is merged into this one when it closes: this one is only opened (so that the
            // merge finds it, even when it closes on the same record).
            let fed = scratch.fedBy[i].map { scratch.covered[$0] } ?? false
            // Late for the finer window that feeds this one: kept apart until this one closes.
            let apart = !fed && scratch.fedBy[i] != nil
            var covered = false
            for start in scratch.windows {
                var slot = withAccumulator(i, start, shards, features: record.values.count) {
                    covered = $0.feeds != nil
                    if !fed && !apart { $0.add(record, in: batch, scoring: scoring, classes: classes) }
                }
                if apart {
                    slot = withDirect(i, start, shards, features: record.values.count) {
                        $0.add(record, in: batch, scoring: scoring, classes: classes)
                    }
                }
                if !fed { placements.append(.init(slot: slot, model: model, values: record.values)) }
            }
            scratch.covered[i] = covered
            specs[i].pendingLate += late ? 1 : 0
            if !late { lateEverywhere = false }
            specs[i].pendingRejected += rejectedBefore
            if specs[i].pendingLate + specs[i].pendingRejected > 0,
                let newest = scratch.windows.last ?? specs[i].tracker.newestOpen
            {
                let (late, rejected) = (specs[i].pendingLate, specs[i].pendingRejected)
                withAccumulator(i, newest, shards) {
                    $0.late += late
                    $0.rejected += rejected
                }
                specs[i].pendingLate = 0
                specs[i].pendingRejected = 0
            }
            for start in scratch.closed { closing.append((model, i, start)) }
        }
        return lateEverywhere
    }

    /// Calls `body` on the accumulator of an open window, made (with a slot) if it has none yet; returns its slot.
    /// A window is made with room for as many features as the model's last closed window had, or, before any
    /// closed, as the record that opens it has (`features`): first windows whose tables grew by doubling are still
    /// open at the peak of a 1,000-model replay (its peak heap went from 259.6 to 257.4 MiB).
    @discardableResult
    mutating func withAccumulator(
        _ i: Int, _ start: Int64, _ shards: FeatureShards, features: Int = 0,
        _ body: (inout WindowAccumulator) -> Void
    ) -> Int32 {
        // One hash lookup for an open window, changed in place (a `default:` subscript captured the shards in a
        // closure for every record).
        if let index = specs[i].open.index(forKey: start) {
            body(&specs[i].open.values[index])
            return specs[i].open.values[index].slot
        }
        let expected = lastWindowFeatures > 0 ? lastWindowFeatures : features
        var accumulator = WindowAccumulator(slot: shards.allocate(features: expected))
        accumulator.feeds = feeds[i].map(Int32.init)
        body(&accumulator)
        specs[i].open[start] = accumulator
        return accumulator.slot
    }

    /// Calls `body` on the part of an open window fed by a finer size that takes records late for the finer window
    /// (``WindowAccumulator/direct``), made with a slot if it has none yet; returns its slot.
    mutating func withDirect(
        _ i: Int, _ start: Int64, _ shards: FeatureShards, features: Int, _ body: (inout WindowAccumulator) -> Void
    ) -> Int32 {
        let index = specs[i].open.index(forKey: start)!  // made by `withAccumulator` just before
        if specs[i].open.values[index].direct.isEmpty {
            specs[i].open.values[index].direct = [WindowAccumulator(slot: shards.allocate(features: features))]
        }
        body(&specs[i].open.values[index].direct[0])
        return specs[i].open.values[index].direct[0].slot
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
    mutating func closeAll(names: [String?], shards: FeatureShards, into closed: inout [ClosedWindow]) {
        for i in specs.indices {
            for start in specs[i].tracker.closeAll() {
                closed.append(report(spec: i, start: start, names: names, shards: shards))
            }
        }
    }

    /// Removes a closed window and makes its report, its features taken from the shards.
    mutating func report(spec i: Int, start: Int64, names byID: [String?], shards: FeatureShards) -> ClosedWindow {
        var acc = specs[i].open.removeValue(forKey: start) ?? WindowAccumulator(slot: -1)
        if acc.slot >= 0 { acc.features = shards.features(of: acc.slot, take: true) }
        for var part in acc.direct {  // after every finer window: the same order whatever the batches
            if part.slot >= 0 { part.features = shards.features(of: part.slot, take: true) }
            acc.merge(part)
        }
        acc.direct = []
        if let j = acc.feeds { feed(acc, from: start, into: Int(j), shards: shards) }
        return report(spec: i, start: start, acc, names: byID)
    }

    /// Merges a closed window into the window of size `j` that holds it. That window has an accumulator when it
    /// took any of this window's records: it was opened by their placement and is removed only by its report,
    /// which comes after this one (a finer size's windows close first). Without one, the records were late for it.
    mutating func feed(_ acc: WindowAccumulator, from start: Int64, into j: Int, shards: FeatureShards) {
        guard j < specs.count else { return }
        let target = specs[j].tracker.spec.newestStart(containing: EventTime(nanoseconds: start))
        guard let index = specs[j].open.index(forKey: target) else { return }
        specs[j].open.values[index].absorb(acc)
        shards.merge(acc.features, into: specs[j].open.values[index].slot)
    }

    /// The closed window: its features with the types they settle (the drift stage compares them with the
    /// reference); what the window saw marks its features as seen, and those unseen too long are retired.
    mutating func report(spec i: Int, start: Int64, _ acc: WindowAccumulator, names byID: [String?]) -> ClosedWindow {
        let tracker = specs[i].tracker
        let end = tracker.end(of: start).nanoseconds
        // The window's features by name, in name order (a name is held by one id).
        var present: [(name: String, accumulator: FeatureAccumulator)] = []
        present.reserveCapacity(acc.features.count)
        lastWindowFeatures = acc.features.count
        for (id, a) in acc.features {
            guard Int(id) < byID.count, let name = byID[Int(id)] else { continue }
            present.append((name, a))
            if let seen = admitted[id], seen < end { admitted[id] = end }
        }
        retire(before: end - retireAfter, names: byID)
        present.sort { $0.name < $1.name }
        if typesByName == nil { typesByName = types.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
        let known = typesByName!  // a copy: a type learned below does not change it
        // Every feature with a type, and every feature present: the two lists merged in name order.
        var features: [ClosedWindow.Feature] = []
        features.reserveCapacity(known.count + present.count)
        var k = 0
        var p = 0
        while k < known.count || p < present.count {
            if k < known.count && (p == present.count || known[k].name < present[p].name) {
                // Not in this window: reported with no values.
                let name = known[k].name
                let empty = FeatureAccumulator(binCount: binnersByName[name]?.binCount ?? 0)
                features.append(.init(name: name, type: known[k].type, accumulator: empty))
                k += 1
            } else if k < known.count && known[k].name == present[p].name {
                features.append(.init(name: known[k].name, type: known[k].type, accumulator: present[p].accumulator))
                k += 1
                p += 1
            } else {
                // Seen for the first time: its type is settled by its values, when it has any.
                let (name, a) = present[p]
                let type = overrides[name] ?? a.observedType ?? .numeric
                if a.observedType != nil { types[name] = type }
                features.append(.init(name: name, type: type, accumulator: a))
                p += 1
            }
        }
        return ClosedWindow(
            model: model, window: tracker.spec.label, start: EventTime(nanoseconds: start), end: tracker.end(of: start),
            records: acc.records, late: acc.late, rejected: acc.rejected, features: features,
            performance: acc.performance, scores: acc.scores)
    }
}
