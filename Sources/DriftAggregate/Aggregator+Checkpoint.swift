import DriftCore
import DriftEvaluate
import DriftRecords

/// What a checkpoint keeps of the aggregator, and continuing from it.
extension Aggregator {
    public var state: State { stateOfModels { $0.state(shards: shards) } }

    /// The state, each model's open windows made by `modelState` (none when nil).
    func stateOfModels(_ modelState: ((ModelWindows) -> ModelWindows.State)?) -> State {
        let live = models.compactMap { $0 }
        return State(
            windows: specs.map(\.label), featureNames: features.names.map { $0 ?? "" },
            modelNames: live.map(\.model), models: modelState.map { live.map($0) } ?? [],
            pendingRejected: pendingRejected,
            lastModel: lastModel.flatMap { id in
                models[Int(id)].flatMap { m in live.firstIndex { $0.model == m.model } }
            }
            .map(Int32.init),
            records: records, rejected: rejected, unattributedRejected: unattributedRejected,
            evicted: evicted.isEmpty ? nil : evicted, join: join?.state)
    }

    /// Continues from a checkpoint's state. Returns false (and keeps a fresh state) when the configured windows
    /// changed since: the open windows of another configuration cannot be continued.
    public mutating func restore(_ state: State) -> Bool {
        guard state.windows == specs.map(\.label), state.modelNames.count == state.models.count,
            Set(state.modelNames).count == state.modelNames.count, state.problem(windows: specs) == nil
        else { return false }
        var restored = state.models.map {
            ModelWindows(
                state: $0, reference: reference?.models[ModelKey.split($0.model).model], overrides: schema.types,
                classes: performance.classes)
        }
        let byName = Dictionary(
            state.featureNames.enumerated().filter { !$0.element.isEmpty }.map { ($0.element, Int32($0.offset)) },
            uniquingKeysWith: { a, _ in a })
        for i in restored.indices {
            if state.models[i].admitted == nil { restored[i].admitFromOpenWindows { byName[$0] } }
            restored[i].fitBins(names: state.featureNames)
        }
        var references = [Int32](repeating: 0, count: state.featureNames.count)
        for m in restored {
            for id in m.admittedIDs where Int(id) < references.count { references[Int(id)] += 1 }
        }
        features = NameRegistry(names: state.featureNames) { references[Int($0)] }
        modelNames = NameRegistry()
        for m in restored { _ = modelNames.retain(m.model) }
        parser = BatchParser(index: 0, schema: schema, limits: limits, wallClock: wallClock)
        featureTables = []
        modelTables = []
        parserFeatures = []
        parserModels = []
        dormant = []
        let now = clock()
        models = restored
        shards.removeAll()
        for i in models.indices { models[i]!.distribute(to: shards) }
        lastRecordAt = models.map { _ in now }
        pendingRejected = state.pendingRejected
        lastModel = state.lastModel.flatMap { Int($0) < models.count ? $0 : nil }
        records = state.records
        rejected = state.rejected
        unattributedRejected = state.unattributedRejected
        evicted = state.evicted ?? EvictedModels()
        if let saved = state.join, join != nil {
            guard join!.restore(saved) else { return false }
            reportedJoinCounts = join!.counts  // counted by the process that made the checkpoint
        }
        return true
    }
}
