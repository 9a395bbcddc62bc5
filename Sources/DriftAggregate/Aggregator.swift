import DequeModule
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
///
/// What one input can make it hold is bounded (DESIGN §8): at most `limits.maxModels` models with state (a new
/// model beyond that evicts one whose windows are all closed, keeping only its trackers, or is rejected) and
/// `limits.maxFeatures` features per model (values of more are dropped and counted); features no record carried
/// for ten window sizes are retired, and the ids of models and features no one holds are reused.
public struct Aggregator {
    let specs: [WindowSpec]
    let schema: RecordSchema
    let limits: RecordLimits
    /// The aggregator's own parser (index 0), for ``add(_:closed:)``.
    var parser: BatchParser
    /// Names by the aggregator's ids, held by the models that have them.
    var features = NameRegistry()
    var modelNames = NameRegistry()
    /// Per parser: the names it reported, by its ids, and their translation to the aggregator's ids (-1: not yet
    /// translated, or no longer held).
    var parserFeatures: [[String]] = []
    var parserModels: [[String]] = []
    var featureTables: [[Int32]] = []
    var modelTables: [[Int32]] = []
    /// By model id.
    var models: [ModelWindows?] = []
    /// Models whose windows all closed (by an idle timeout), oldest first: the first to make room for a new model.
    var dormant = Deque<Int32>()
    /// What evicted models leave behind: their trackers, so that their written windows stay closed.
    var evicted = EvictedModels()
    /// The open windows' feature accumulators, split by feature over threads.
    let shards: FeatureShards
    var pendingRejected = 0
    var lastModel: Int32?
    /// Reused by every record's placement in its model's windows.
    var scratch: PlacementScratch
    let telemetry: Telemetry
    let reference: ReferenceProfile?
    /// Window close ─► drift against the reference ─► report (DESIGN §1).
    var drift: DriftStage
    /// `performance:`: the task and the positive class.
    let performance: PerformanceSpec
    /// Labels that arrive later, joined by request id (`labels:`); nil when none are configured.
    var join: LabelJoin?
    /// Parses the last lines of closed `labels:` files (label batches touch no name table: any index will do).
    var labelParser: BatchParser?
    /// The join's counts as last handed to the telemetry.
    var reportedJoinCounts = LabelJoin.Counts()

    /// Wall-clock time (monotonic nanoseconds) of each model's last record, for idle timeouts; by model id.
    var lastRecordAt: [Int64] = []
    /// The monotonic clock, read once per batch (injected: tests drive idle timeouts without sleeping).
    let clock: @Sendable () -> Int64
    let wallClock: @Sendable () -> Int64

    /// Records taken into at least one window size, late ones included.
    public internal(set) var records = 0
    public internal(set) var rejected = 0
    /// Rejected lines that no window could take (an input with no records at all).
    public internal(set) var unattributedRejected = 0

    /// - Parameters:
    ///   - shards: threads that aggregate a batch's values, each its share of the features (the output does not
    ///     depend on how many).
    ///   - clock: monotonic nanoseconds, for idle timeouts.
    ///   - wallClock: nanoseconds since the epoch, for `limits.maxFuture`.
    public init(
        schema: RecordSchema, windows: [WindowSpec], limits: RecordLimits = RecordLimits(),
        reference: ReferenceProfile? = nil, performance: PerformanceSpec = PerformanceSpec(),
        telemetry: Telemetry, shards: Int = 1,
        clock: @escaping @Sendable () -> Int64 = Telemetry.monotonicNanoseconds,
        wallClock: @escaping @Sendable () -> Int64 = Telemetry.wallClockNanoseconds
    ) {
        specs = windows
        scratch = PlacementScratch(specs: windows)
        self.shards = FeatureShards(count: shards)
        self.schema = schema
        self.limits = limits
        self.clock = clock
        self.wallClock = wallClock
        self.reference = reference
        self.performance = performance
        drift = DriftStage(reference: reference)
        parser = BatchParser(index: 0, schema: schema, limits: limits, wallClock: wallClock)
        self.telemetry = telemetry
    }

    /// `output.profiles` (DESIGN §6): windows keep DataSketches' sketches, and reports their features' state.
    public var profiles: Bool {
        get { shards.profiles }
        set {
            shards.profiles = newValue
            drift.keepsFeatures = newValue
        }
    }

    /// Parses and processes every line of `batch`; closed windows are appended to `closed`.
    public mutating func add(_ batch: LineBatch, closed: inout [WindowReport]) {
        ingest(parser.parse(batch), closed: &closed)
    }

    /// ``add(_:closed:)`` for a batch that may be of a `labels:` input.
    public mutating func add(_ batch: LineBatch, labels: Bool, closed: inout [WindowReport]) {
        guard labels else { return add(batch, closed: &closed) }
        if labelParser == nil {
            labelParser = BatchParser(index: 0, schema: schema, limits: limits, labels: true, wallClock: wallClock)
        }
        ingest(labelParser!.parse(batch), closed: &closed)
    }

    /// Processes a batch parsed by any ``BatchParser`` (batches must come in input order; the parser does not
    /// matter). Closed windows are appended to `closed`.
    public mutating func ingest(_ batch: ParsedBatch, closed: inout [WindowReport]) {
        ingest(batch, records: batch.buffer.records.indices, closed: &closed)
    }

    /// Processes the records `records` of a parsed batch, with the rejected lines among them: a k-way merge of
    /// several inputs by event time takes a batch in slices (DESIGN §2). Every slice of a batch must be ingested,
    /// in order, before the next batch of the same parser; an empty batch is one empty slice.
    public mutating func ingest(_ batch: ParsedBatch, records range: Range<Int>, closed: inout [WindowReport]) {
        ingest(batch, records: range) { closed.append($0) }
    }

    /// ``ingest(_:records:closed:)``, each closed window handed to `emit` as it is made: a caller that writes them
    /// one at a time holds one report, not a batch's (10,000 models close tens of thousands of windows together).
    public mutating func ingest(_ batch: ParsedBatch, records range: Range<Int>, emit sink: (WindowReport) -> Void) {
        var batch = batch
        if batch.labels {
            ingestLabels(batch, records: range)
            emitPerformance(to: sink)
            return
        }
        let now = clock()
        let isFirst = range.lowerBound == 0
        let joining = join != nil
        let isLast = range.upperBound == batch.buffer.records.count
        if isFirst { learnNames(batch) }
        if isFirst && batch.ignoredNames > 0 {
            FeatureValuesDropped(
                source: batch.source, model: nil, feature: nil, reason: .badName, count: batch.ignoredNames
            )
            .emit(to: telemetry)
        }
        var featureTable: [Int32] = []
        var modelTable: [Int32] = []
        swap(&featureTable, &featureTables[batch.parser])
        swap(&modelTable, &modelTables[batch.parser])
        var scratch = PlacementScratch()  // swapped in, so that its arrays stay unshared
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        var placements: [FeatureShards.Placement] = []
        placements.reserveCapacity(range.count * specs.count)
        var closing: [(model: Int32, spec: Int, start: Int64)] = []
        /// Values of features beyond a model's limit, dropped before the shards see them.
        var dropped: [Int] = []
        // Placing records in windows is sequential (the watermark depends on every record before); the values
        // then go to their windows' accumulators on the shards, in parallel.
        batch.buffer.withView { view in
            var nextRejection =
                isFirst
                ? 0 : batch.rejections.firstIndex { $0.recordsBefore >= range.lowerBound } ?? batch.rejections.count
            for index in range {
                // The rejected lines before this record, in line order.
                while nextRejection < batch.rejections.count && batch.rejections[nextRejection].recordsBefore == index {
                    reject(batch.source, batch.rejections[nextRejection].line, batch.rejections[nextRejection].reason)
                    nextRejection += 1
                }
                let record = batch.buffer.records[index]
                var model = modelTable[Int(record.model)]
                if model < 0 {
                    model = admitModel(
                        parser: batch.parser, id: record.model, now: now, models: &modelTable,
                        features: &featureTable)
                    guard model >= 0 else {
                        let name = parserModels[batch.parser][Int(record.model)]
                        rejected += 1
                        pendingRejected += 1
                        ModelRejected(source: batch.source, model: name, limit: limits.maxModels).emit(to: telemetry)
                        continue
                    }
                }
                records += 1
                let values = view.values(of: record)
                if !models[Int(model)]!.hasKnownShape(values, parser: batch.parser) {
                    admitFeatures(
                        of: record, values: values, base: record.values.lowerBound, model: model,
                        parser: batch.parser, source: batch.source, table: &featureTable, dropped: &dropped)
                }
                let late = models[Int(model)]!.add(
                    record, model: model, in: view, ids: featureTable, rejectedBefore: pendingRejected,
                    names: features.names, shards: shards, placements: &placements, closing: &closing,
                    scratch: &scratch)
                if joining && !late { awaitLabel(record, model: model, in: view) }
                if late {
                    RecordLate(source: batch.source, model: models[Int(model)]!.model, time: record.time).emit(
                        to: telemetry)
                }
                pendingRejected = 0
                lastModel = model
                lastRecordAt[Int(model)] = now
            }
            for rejection in batch.rejections[nextRejection...] where isLast {
                reject(batch.source, rejection.line, rejection.reason)
            }
        }
        // A dropped value names no feature the shards know: the id one past the table's.
        for i in dropped { batch.buffer.markDropped(value: i, as: Int32(featureTable.count)) }
        // Binners exist only with a reference; without one, no per-model table is made for every slice.
        shards.add(
            placements, of: batch.buffer, ids: featureTable,
            binners: reference == nil ? [] : models.map { $0?.binners ?? [] })
        swap(&featureTable, &featureTables[batch.parser])
        swap(&modelTable, &modelTables[batch.parser])
        // A window closed by a record takes no record after it, so its report can wait for the shards.
        for c in closing {
            // Made first, then emitted: `emit(models[…]!.report(…))` changes `models` while `self` is lent to
            // `emit`, and Swift copied the whole array of models for every window closed (10,000 models: most of
            // the time of a replay).
            let window = models[Int(c.model)]!.report(
                spec: c.spec, start: c.start, names: features.names, shards: shards)
            emit(window, to: sink)
        }
        if !closing.isEmpty { releaseRetired(of: Set(closing.map(\.model)).sorted()) }
        emitPerformance(to: sink)
    }

    /// Extends the parser's name lists with the names it learned in this batch (or starts them over, when the
    /// parser started its own over to stay bounded).
    mutating func learnNames(_ batch: ParsedBatch) {
        while featureTables.count <= batch.parser {
            featureTables.append([])
            modelTables.append([])
            parserFeatures.append([])
            parserModels.append([])
        }
        let p = batch.parser
        if batch.namesRestarted {
            featureTables[p] = []
            modelTables[p] = []
            parserFeatures[p] = []
            parserModels[p] = []
            // Shapes are remembered in a parser's ids, which now mean other names.
            for i in models.indices { models[i]?.forgetShapes(of: p) }
        }
        precondition(featureTables[p].count == Int(batch.firstNewFeature), "batches of a parser out of order")
        parserFeatures[p] += batch.newFeatures
        parserModels[p] += batch.newModels
        featureTables[p] += repeatElement(-1, count: batch.newFeatures.count)
        modelTables[p] += repeatElement(-1, count: batch.newModels.count)
    }

    /// Ends the input: closes every window (DESIGN §3: `replay` closes all windows at end of input).
    public mutating func closeAll(into closed: inout [WindowReport]) {
        closeAll { closed.append($0) }
    }

    /// ``closeAll(into:)``, each window handed to `emit` as it closes (its accumulators freed before the next).
    public mutating func closeAll(emit sink: (WindowReport) -> Void) {
        if pendingRejected > 0 {
            let counted = lastModel.map { models[Int($0)]!.addRejected(pendingRejected, shards: shards) } ?? false
            if !counted { unattributedRejected += pendingRejected }
            pendingRejected = 0
        }
        for id in modelIDsByName() {
            var windows: [ClosedWindow] = []
            models[id]!.closeAll(names: features.names, shards: shards, into: &windows)
            for window in windows { emit(window, to: sink) }
        }
        releaseRetired()
        emitPerformance(all: true, to: sink)
    }

    /// Closes the windows of models that received no record for their window's `idle_timeout` (DESIGN §3).
    public mutating func closeIdle(into closed: inout [WindowReport]) {
        let now = clock()
        var windows: [ClosedWindow] = []
        for id in modelIDsByName() {
            let wasDormant = models[id]!.isDormant
            models[id]!.closeIdle(
                now: now, lastRecord: lastRecordAt[id], names: features.names, shards: shards,
                into: &windows)
            if !wasDormant && models[id]!.isDormant { dormant.append(Int32(id)) }
        }
        if dormant.count > 2 * max(16, models.count) {  // entries of models that woke up, or were evicted
            var seen: Set<Int32> = []
            dormant = Deque(dormant.filter { models[Int($0)]?.isDormant == true && seen.insert($0).inserted })
        }
        for window in windows { emit(window, to: { closed.append($0) }) }
        releaseRetired()
    }

    /// A closed window through the drift stage (compared with the reference) into a report.
    private func emit(_ window: ClosedWindow, to sink: (WindowReport) -> Void) {
        var report = drift.report(window)
        report.performanceTask = performance.task
        WindowEmitted(
            model: report.model, window: report.window, start: report.start, records: report.records,
            late: report.late
        ).emit(to: telemetry)
        sink(report)
    }

    /// Ids of the models held, in the order of their names (a deterministic order for closing windows).
    func modelIDsByName() -> [Int] {
        models.indices.filter { models[$0] != nil }.sorted { models[$0]!.model < models[$1]!.model }
    }

    /// Models held now (tests and status).
    public var modelCount: Int { modelNames.count }
    /// How many feature accumulators the open windows have room for: their memory, beyond the values they hold.
    public var accumulatorCapacity: Int { shards.capacity }
    /// Features held now, over all models.
    public var featureCount: Int { features.count }

    /// Everything needed to continue exactly where this aggregator is, for a checkpoint. Feature and model ids in
    /// the open windows are those of the names listed, in order (an empty name: an id not in use).
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
        var evicted: EvictedModels?
        var join: LabelJoin.State?
    }

    mutating func reject(_ source: String, _ line: LineBatch.Line, _ reason: RejectReason) {
        rejected += 1
        pendingRejected += 1
        LineRejected(source: source, line: line, reason: reason).emit(to: telemetry)
    }

}
