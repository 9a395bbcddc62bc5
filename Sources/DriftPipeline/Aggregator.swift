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
    private var mapper: RecordMapper
    private var record = Record()
    private var models: [String: ModelWindows] = [:]
    private var pendingRejected = 0
    private var lastModel: String?
    private let telemetry: Telemetry
    private let maxLineBytes: Int
    private let reference: ReferenceProfile?

    /// Wall-clock time (monotonic nanoseconds) of each model's last record, for idle timeouts.
    private var lastRecordAt: [String: Int64] = [:]
    /// The monotonic clock, read once per batch (injected: tests drive idle timeouts without sleeping).
    private let clock: @Sendable () -> Int64

    /// Records taken into at least one window size, late ones included.
    public private(set) var records = 0
    public private(set) var rejected = 0
    /// Rejected lines that no window could take (an input with no records at all).
    public private(set) var unattributedRejected = 0

    public init(schema: RecordSchema, windows: [WindowSpec], maxLineBytes: Int, reference: ReferenceProfile? = nil,
                telemetry: Telemetry, clock: @escaping @Sendable () -> Int64 = Telemetry.monotonicNanoseconds) {
        specs = windows
        self.clock = clock
        self.reference = reference
        mapper = RecordMapper(schema: schema)
        self.telemetry = telemetry
        self.maxLineBytes = maxLineBytes
    }

    /// Processes every line of `batch`; closed windows are appended to `closed`.
    public mutating func add(_ batch: LineBatch, closed: inout [WindowReport]) {
        let now = clock()
        batch.bytes.withUnsafeBytes { all in
            for line in batch.lines {
                guard !line.tooLong else {
                    reject(batch.source, line, .tooLong(limit: maxLineBytes))
                    continue
                }
                let text = UnsafeRawBufferPointer(rebasing: all[line.start..<(line.start + line.length)])
                if LineBatch.isBlank(text) { continue }
                if let reason = mapper.map(text, into: &record) {
                    reject(batch.source, line, reason)
                    continue
                }
                records += 1
                let model = record.model
                let before = closed.count
                models[model, default: ModelWindows(model: model, specs: specs, reference: reference?.models[model])]
                    .add(record, rejectedBefore: pendingRejected, closed: &closed)
                pendingRejected = 0
                lastModel = model
                lastRecordAt[model] = now
                for report in closed[before...] { emitted(report) }
            }
        }
    }

    /// Ends the input: closes every window (DESIGN §3: `replay` closes all windows at end of input).
    public mutating func closeAll(into closed: inout [WindowReport]) {
        if pendingRejected > 0 {
            let counted = lastModel.map { models[$0]!.addRejected(pendingRejected) } ?? false
            if !counted { unattributedRejected += pendingRejected }
            pendingRejected = 0
        }
        let before = closed.count
        for name in models.keys.sorted() { models[name]!.closeAll(into: &closed) }
        for report in closed[before...] { emitted(report) }
    }

    /// Closes the windows of models that received no record for their window's `idle_timeout` (DESIGN §3).
    public mutating func closeIdle(into closed: inout [WindowReport]) {
        let now = clock()
        let before = closed.count
        for name in models.keys.sorted() {
            models[name]!.closeIdle(now: now, lastRecord: lastRecordAt[name] ?? now, into: &closed)
        }
        for report in closed[before...] { emitted(report) }
    }

    /// Everything needed to continue exactly where this aggregator is, for a checkpoint.
    public struct State: Codable, Sendable {
        var windows: [String]
        var models: [ModelWindows.State]
        var pendingRejected: Int
        var lastModel: String?
        var records: Int
        var rejected: Int
        var unattributedRejected: Int
    }

    public var state: State {
        State(
            windows: specs.map(\.label), models: models.keys.sorted().map { models[$0]!.state },
            pendingRejected: pendingRejected, lastModel: lastModel, records: records, rejected: rejected,
            unattributedRejected: unattributedRejected)
    }

    /// Continues from a checkpoint's state. Returns false (and keeps a fresh state) when the configured windows
    /// changed since: the open windows of another configuration cannot be continued.
    public mutating func restore(_ state: State) -> Bool {
        guard state.windows == specs.map(\.label) else { return false }
        let now = clock()
        models = [:]
        for m in state.models {
            models[m.model] = ModelWindows(state: m, reference: reference?.models[m.model])
            lastRecordAt[m.model] = now
        }
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
