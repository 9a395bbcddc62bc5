import DriftCore

/// A line batch after parsing: its records and rejections in line order, with the names its parser learned.
///
/// Parsing runs on several threads, each with its own ``BatchParser`` and so its own name ids; the aggregator
/// translates them to its own, in line order, so the result does not depend on which thread parsed what.
public struct ParsedBatch: Sendable {
    /// A rejected line, and how many records of the batch came before it (rejections are few: records are not
    /// listed one by one beside them).
    public struct Rejection: Sendable {
        public var recordsBefore: Int
        public var line: LineBatch.Line
        public var reason: RejectReason
    }

    public var source: String
    /// Which parser made it (whose ids the records use).
    public var parser: Int
    /// Rejected lines, in line order.
    public var rejections: [Rejection] = []
    /// Records with the parser's feature and model ids.
    public var buffer = RecordBuffer()
    /// Feature names the parser learned in this batch; they have the parser's ids from `firstNewFeature` on.
    public var newFeatures: [String] = []
    public var firstNewFeature: Int32 = 0
    public var newModels: [String] = []
    /// Feature values whose names were ignored (empty, or too long).
    public var ignoredNames = 0
    /// The parser started its names over before this batch — its first batch, or to stay bounded: ids that
    /// parser index had before mean nothing any more, and `newFeatures` / `newModels` start at id 0. (So a new
    /// parser may take the index of one whose input ended.)
    public var namesRestarted = false
    /// Where reading resumes after this batch (for checkpoints).
    public var resume: SourcePosition
    /// From a `labels:` input (DESIGN §12): records are labels for the join, not predictions.
    public var labels = false

    public init(source: String, parser: Int, resume: SourcePosition) {
        self.source = source
        self.parser = parser
        self.resume = resume
    }

    mutating func reject(_ line: LineBatch.Line, _ reason: RejectReason) {
        rejections.append(Rejection(recordsBefore: buffer.records.count, line: line, reason: reason))
    }
}

/// Parses line batches into ``ParsedBatch``es: one per parsing thread. Pure.
public struct BatchParser: Sendable {
    public let index: Int
    private let schema: RecordSchema
    private var mapper: RecordMapper
    private let limits: RecordLimits
    /// Wall-clock nanoseconds, read once per batch for `limits.maxFuture` (injected: tests set the time).
    private let wallClock: @Sendable () -> Int64
    /// Names already handed over with earlier batches.
    private var reportedFeatures = 0
    private var reportedModels = 0
    private var reportedIgnored = 0
    /// The previous batch's records, values and text bytes: the next one is reserved alike.
    private var lastSizes = (records: 0, values: 0, text: 0)
    private var parsedAny = false
    /// Parses a `labels:` input (the batches say so).
    public let labels: Bool

    public init(
        index: Int, schema: RecordSchema, limits: RecordLimits = RecordLimits(), labels: Bool = false,
        wallClock: @escaping @Sendable () -> Int64 = Telemetry.wallClockNanoseconds
    ) {
        self.index = index
        self.labels = labels
        let schema = labels ? schema.labels : schema
        self.schema = schema
        mapper = RecordMapper(schema: schema)
        self.limits = limits
        self.wallClock = wallClock
    }

    /// Feature and model names by this parser's ids.
    public var featureNames: [String] { mapper.features.names }
    public var modelNames: [String] { mapper.models.names }

    /// Names a parser holds before it starts them over: far more than the limits let the aggregator hold, so that
    /// only a stream of ever-new names (a cardinality attack) makes it happen.
    public var maxNames: (models: Int, features: Int) {
        (max(1024, 4 * limits.maxModels), max(1 << 18, 4 * limits.maxFeatures))
    }

    /// Parses `batch` into a buffer of its own.
    public mutating func parse(_ batch: LineBatch) -> ParsedBatch {
        var none: RecordBuffer?
        return parse(batch, reusing: &none)
    }

    /// Parses `batch`. `spare`, the buffer of a batch already ingested, is emptied and filled again (``Spares``).
    public mutating func parse(_ batch: LineBatch, reusing spare: inout RecordBuffer?) -> ParsedBatch {
        var parsed = ParsedBatch(source: batch.source, parser: index, resume: batch.resume)
        if spare != nil {
            // Swapped, not copied: a copy would share the storage, and emptying it would allocate anew.
            swap(&parsed.buffer, &spare!)
            spare = nil
            parsed.buffer.removeAll()
        }
        parsed.labels = labels
        if mapper.models.count > maxNames.models || mapper.features.count > maxNames.features {
            mapper = RecordMapper(schema: schema)
            (reportedFeatures, reportedModels, reportedIgnored) = (0, 0, 0)
            parsed.namesRestarted = true
        }
        if !parsedAny {
            parsedAny = true
            parsed.namesRestarted = true
        }
        parsed.firstNewFeature = Int32(reportedFeatures)
        parsed.buffer.reserve(records: batch.lines.count, like: lastSizes)
        let notAfter = limits.maxFuture.map { EventTime(nanoseconds: wallClock()) + $0 } ?? EventTime(nanoseconds: .max)
        batch.bytes.withUnsafeBytes { all in
            for line in batch.lines {
                guard !line.tooLong else {
                    parsed.reject(line, .tooLong(limit: limits.maxLineBytes))
                    continue
                }
                let text = UnsafeRawBufferPointer(rebasing: all[line.start..<(line.start + line.length)])
                if LineBatch.isBlank(text) { continue }
                if let reason = mapper.map(text, into: &parsed.buffer, notAfter: notAfter) {
                    parsed.reject(line, reason)
                }
            }
        }
        parsed.ignoredNames = mapper.ignoredNames - reportedIgnored
        reportedIgnored = mapper.ignoredNames
        parsed.newFeatures = Array(mapper.features.names[reportedFeatures...])
        parsed.newModels = Array(mapper.models.names[reportedModels...])
        lastSizes = (parsed.buffer.records.count, parsed.buffer.values.count, parsed.buffer.text.count)
        reportedFeatures = mapper.features.count
        reportedModels = mapper.models.count
        return parsed
    }
}
