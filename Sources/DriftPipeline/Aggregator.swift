import DriftCore
import DriftEvaluate
import DriftRecords
import DriftStats
import DriftWindows

/// Turns line batches into closed windows: parses each line, places its record in the windows of its model,
/// and returns the windows that closed. No I/O beyond the telemetry it is given.
///
/// Rejected lines are counted in the window of the next record read from the input (or, after the input's last
/// record, in the newest open windows of that record's model), so each window line's `rejected` says how many
/// bad lines sat among its records.
public struct Aggregator {
    private let specs: [WindowSpec]
    private let schema: RecordSchema
    /// The aggregator's own parser (index 0), for ``add(_:closed:)``.
    private var parser: BatchParser
    /// Names by the aggregator's ids; parsers' ids are translated to these.
    private var features = NameInterner()
    private var modelNames = NameInterner()
    /// Per parser: its feature (model) id → the aggregator's.
    private var featureTables: [[Int32]] = []
    private var modelTables: [[Int32]] = []
    /// By model id (the mapper's `models` interner).
    private var models: [ModelWindows?] = []
    /// The open windows' feature accumulators, split by feature over threads.
    private let shards: FeatureShards
    private var pendingRejected = 0
    private var lastModel: Int32?
    private let telemetry: Telemetry
    private let maxLineBytes: Int
    private let reference: ReferenceProfile?

    /// Wall-clock time (monotonic nanoseconds) of each model's last record, for idle timeouts; by model id.
    private var lastRecordAt: [Int64] = []
    /// The monotonic clock, read once per batch (injected: tests drive idle timeouts without sleeping).
    private let clock: @Sendable () -> Int64

    /// Records taken into at least one window size, late ones included.
    public private(set) var records = 0
    public private(set) var rejected = 0
    /// Rejected lines that no window could take (an input with no records at all).
    public private(set) var unattributedRejected = 0

    /// - Parameter shards: threads that aggregate a batch's values, each its share of the features (the output
    ///   does not depend on how many).
    public init(schema: RecordSchema, windows: [WindowSpec], maxLineBytes: Int, reference: ReferenceProfile? = nil,
                telemetry: Telemetry, shards: Int = 1,
                clock: @escaping @Sendable () -> Int64 = Telemetry.monotonicNanoseconds) {
        specs = windows
        self.shards = FeatureShards(count: shards)
        self.schema = schema
        self.clock = clock
        self.reference = reference
        parser = BatchParser(index: 0, schema: schema, maxLineBytes: maxLineBytes)
        self.telemetry = telemetry
        self.maxLineBytes = maxLineBytes
    }

    /// Parses and processes every line of `batch`; closed windows are appended to `closed`.
    public mutating func add(_ batch: LineBatch, closed: inout [WindowReport]) {
        ingest(parser.parse(batch), closed: &closed)
    }

    /// Processes a batch parsed by any ``BatchParser`` (batches must come in input order; the parser does not
    /// matter). Closed windows are appended to `closed`.
    public mutating func ingest(_ batch: ParsedBatch, closed: inout [WindowReport]) {
        let now = clock()
        learnNames(batch)
        let featureTable = featureTables[batch.parser]
        let modelTable = modelTables[batch.parser]
        let names = features.names
        var placements: [FeatureShards.Placement] = []
        placements.reserveCapacity(batch.buffer.records.count * specs.count)
        var closing: [(model: Int32, spec: Int, start: Int64)] = []
        // Placing records in windows is sequential (the watermark depends on every record before); the values
        // then go to their windows' accumulators on the shards, in parallel.
        batch.buffer.withView { view in
            var nextRejection = 0
            for index in batch.buffer.records.indices {
                // The rejected lines before this record, in line order.
                while nextRejection < batch.rejections.count && batch.rejections[nextRejection].recordsBefore == index {
                    reject(batch.source, batch.rejections[nextRejection].line, batch.rejections[nextRejection].reason)
                    nextRejection += 1
                }
                let record = batch.buffer.records[index]
                records += 1
                let model = Int(modelTable[Int(record.model)])
                if model >= models.count {
                    for id in models.count...model {
                        let name = modelNames.names[id]
                        models.append(ModelWindows(model: name, specs: specs, reference: reference?.models[name]))
                        lastRecordAt.append(now)
                    }
                }
                models[model]!.add(record, index: index, model: Int32(model), in: view, ids: featureTable,
                                   rejectedBefore: pendingRejected, names: names, shards: shards,
                                   placements: &placements, closing: &closing)
                pendingRejected = 0
                lastModel = Int32(model)
                lastRecordAt[model] = now
            }
            for rejection in batch.rejections[nextRejection...] { reject(batch.source, rejection.line, rejection.reason) }
        }
        shards.add(placements, of: batch.buffer, ids: featureTable, binners: models.map { $0?.binners ?? [] })
        // A window closed by a record takes no record after it, so its report can wait for the shards.
        for c in closing {
            let report = models[Int(c.model)]!.report(spec: c.spec, start: c.start, names: names, shards: shards)
            emitted(report)
            closed.append(report)
        }
    }

    /// Extends the parser's translation tables with the names it learned in this batch.
    private mutating func learnNames(_ batch: ParsedBatch) {
        while featureTables.count <= batch.parser {
            featureTables.append([])
            modelTables.append([])
        }
        precondition(featureTables[batch.parser].count == Int(batch.firstNewFeature), "batches of a parser out of order")
        for name in batch.newFeatures { featureTables[batch.parser].append(features.id(name)) }
        for name in batch.newModels { modelTables[batch.parser].append(modelNames.id(name)) }
    }

    /// Ends the input: closes every window (DESIGN §3: `replay` closes all windows at end of input).
    public mutating func closeAll(into closed: inout [WindowReport]) {
        if pendingRejected > 0 {
            let counted = lastModel.map { models[Int($0)]!.addRejected(pendingRejected, shards: shards) } ?? false
            if !counted { unattributedRejected += pendingRejected }
            pendingRejected = 0
        }
        let before = closed.count
        for id in modelIDsByName() { models[id]!.closeAll(names: features.names, shards: shards, into: &closed) }
        for report in closed[before...] { emitted(report) }
    }

    /// Closes the windows of models that received no record for their window's `idle_timeout` (DESIGN §3).
    public mutating func closeIdle(into closed: inout [WindowReport]) {
        let now = clock()
        let before = closed.count
        for id in modelIDsByName() {
            models[id]!.closeIdle(now: now, lastRecord: lastRecordAt[id], names: features.names, shards: shards,
                                  into: &closed)
        }
        for report in closed[before...] { emitted(report) }
    }

    /// Model ids in the order of their names (a deterministic order for closing windows).
    private func modelIDsByName() -> [Int] {
        let names = modelNames.names
        return models.indices.sorted { names[$0] < names[$1] }
    }

    /// Everything needed to continue exactly where this aggregator is, for a checkpoint. Feature and model ids in
    /// the open windows are those of the names listed, in order.
    public struct State: Codable, Sendable {
        var windows: [String]
        var featureNames: [String]
        var modelNames: [String]
        var models: [ModelWindows.State]
        var pendingRejected: Int
        var lastModel: Int32?
        var records: Int
        var rejected: Int
        var unattributedRejected: Int
    }

    public var state: State {
        State(
            windows: specs.map(\.label), featureNames: features.names, modelNames: modelNames.names,
            models: models.map { $0!.state(shards: shards) },
            pendingRejected: pendingRejected, lastModel: lastModel, records: records, rejected: rejected,
            unattributedRejected: unattributedRejected)
    }

    /// Continues from a checkpoint's state. Returns false (and keeps a fresh state) when the configured windows
    /// changed since: the open windows of another configuration cannot be continued.
    public mutating func restore(_ state: State) -> Bool {
        guard state.windows == specs.map(\.label), state.modelNames.count == state.models.count else { return false }
        var restoredFeatures = NameInterner()
        var restoredModels = NameInterner()
        for name in state.featureNames { _ = restoredFeatures.id(name) }
        for name in state.modelNames { _ = restoredModels.id(name) }
        guard restoredFeatures.count == state.featureNames.count, restoredModels.count == state.modelNames.count
        else { return false }
        features = restoredFeatures
        modelNames = restoredModels
        parser = BatchParser(index: 0, schema: schema, maxLineBytes: maxLineBytes)
        featureTables = []
        modelTables = []
        let now = clock()
        models = state.models.map { ModelWindows(state: $0, reference: reference?.models[$0.model]) }
        shards.removeAll()
        for i in models.indices { models[i]!.distribute(to: shards) }
        lastRecordAt = models.map { _ in now }
        pendingRejected = state.pendingRejected
        lastModel = state.lastModel
        records = state.records
        rejected = state.rejected
        unattributedRejected = state.unattributedRejected
        return true
    }

    private mutating func reject(_ source: String, _ line: LineBatch.Line, _ reason: RejectReason) {
        rejected += 1
        pendingRejected += 1
        LineRejected(source: source, line: line, reason: reason).emit(to: telemetry)
    }

    private func emitted(_ r: WindowReport) {
        WindowEmitted(model: r.model, window: r.window, start: r.start, records: r.records, late: r.late)
            .emit(to: telemetry)
    }
}
