import DriftAggregate
import DriftConfig
import DriftCore
import DriftEvaluate
import DriftRecords
import DriftStats
import DriftWindows

/// `driftd baseline`: builds a reference profile from known-good logs, in three passes over the files.
///
/// 1. Profile: per model and feature, type, moments, a KLL sketch (hence the decile bins and the reference side
///    of KS and Wasserstein), the categories.
/// 2. Count: exact reference counts on those bins, and the values seen (for `unseen`).
/// 3. Thresholds: the reference replayed through the same aggregator as `replay`, cut into windows of the
///    config's first window size; each measure's mean + 3σ over windows of at least `min_count` records becomes
///    the feature's adaptive threshold (NannyML's idea, from bounded state).
public struct Baseline {
    public struct Summary: Sendable {
        public var records = 0
        public var rejected = 0
        public var models = 0
        public var features = 0
        public var chunks = 0
        /// Features with no valid value in the reference, as `model/feature` in name order: every value missing or
        /// of the wrong type (an array, an id the types do not fit). The profile records them (count 0); drift
        /// against such a reference measures nothing, so `baseline` warns.
        public var withoutValidValues: [String] = []
    }

    public let config: DriftConfig
    public let telemetry: Telemetry
    public let clocks: Clocks

    public init(config: DriftConfig, telemetry: Telemetry, clocks: Clocks = .system) {
        self.clocks = clocks
        self.config = config
        self.telemetry = telemetry
    }

    /// - Parameter progress: called after each batch read; the bytes count all three passes.
    public func run(files: [String], progress: ((InputProgress.Sample) -> Void)? = nil)
        throws(DriftError) -> (ReferenceProfile, Summary)
    {
        guard !files.contains("-") else {
            throw DriftError(
                .input,
                "baseline reads its files three times and cannot take standard input; "
                    + "save the reference logs to a file first")
        }
        let inputs = try Inputs.resolve(files, fromCommandLine: true, telemetry: telemetry)
        guard !inputs.isEmpty else { throw DriftError(.input, "baseline needs the reference log files as arguments") }
        var summary = Summary()
        // Progress over the three passes: each reads every input once.
        var pass = 0
        var linesRead = 0
        var position = InputProgress(paths: progress == nil ? [] : inputs)
        func observe(_ batch: LineBatch) {
            guard let progress else { return }
            position.observe(batch)
            linesRead += batch.lines.count
            progress(
                .init(
                    doneBytes: Int64(pass) * position.totalBytes + position.doneBytes,
                    totalBytes: 3 * position.totalBytes, records: linesRead))
        }
        func nextPass() {
            pass += 1
            if progress != nil { position = InputProgress(paths: inputs) }
        }

        // A reference is per model: the versions of a model (`schema.model_version`) are profiled together.
        var schema = config.schema
        schema.modelVersion = nil
        // Pass 1: profile. One parser for the first two passes, so that ids mean the same names in both.
        var parser = BatchParser(
            index: 0, schema: schema, limits: config.limits.records, wallClock: clocks.wall)
        var models: [Int32: (records: Int, features: [Int32: FeatureAccumulator])] = [:]
        var labeled: [Int32: LabeledScores] = [:]
        (summary.records, summary.rejected) = try scan(inputs, parser: &parser, firstPass: true, observe) {
            record, buffer in
            if record.actualValue != nil || record.actualLabel != nil {
                labeled[record.model, default: LabeledScores(classes: config.performance.classes)].add(record, buffer)
            }
            var entry = models[record.model] ?? (0, [:])
            entry.records += 1
            for (value, name) in buffer.values(of: record) {
                var a = entry.features[name] ?? FeatureAccumulator(topCapacity: ProfileBuilder.profilingTopCapacity)
                switch value {
                case .number(let x): a.addNumber(x)
                case .category(let s): a.addCategory(buffer.string(s))
                case .structured: a.addStructured()
                case .elements: a.addListed()
                case .null: break
                }
                entry.features[name] = a
            }
            models[record.model] = entry
        }
        var counters: [Int32: [Int32: ReferenceCounter]] = [:]
        for (model, entry) in models {
            counters[model] = entry.features.mapValues { a in
                ReferenceCounter(
                    ProfileBuilder.reference(for: a, records: entry.records, type: a.observedType ?? .numeric))
            }
        }
        models = [:]

        // Pass 2: counts on the bins.
        nextPass()
        _ = try scan(inputs, parser: &parser, firstPass: false, observe) { record, buffer in
            for (value, name) in buffer.values(of: record) {
                switch value {
                case .number(let x): counters[record.model]![name]!.add(number: x)
                case .category(let s): counters[record.model]![name]!.add(category: buffer.string(s))
                default: break
                }
            }
        }
        var profile = ReferenceProfile(chunk: config.windows[0].label, models: [:])
        let featureNames = parser.featureNames
        for (model, features) in counters {
            let finished = Dictionary(
                uniqueKeysWithValues: features.map { (featureNames[Int($0.key)], $0.value.finished()) })
            profile.models[parser.modelNames[Int(model)]] =
                .init(records: finished.values.first?.records ?? 0, features: finished)
        }
        counters = [:]
        // A binary classifier's calibration, for estimating its performance in windows without labels.
        for (model, scores) in labeled {
            profile.models[parser.modelNames[Int(model)]]?.calibration = scores.calibration()
        }
        labeled = [:]

        // Pass 3: adaptive thresholds from window-sized chunks of the reference.
        let chunkSpec = config.windows[0]
        var aggregator = Aggregator(
            schema: schema, windows: [chunkSpec], limits: config.limits.records, reference: profile,
            performance: config.performance, telemetry: quiet, clock: clocks.monotonic, wallClock: clocks.wall)
        var measures: [String: [String: [String: Moments]]] = [:]  // model → feature → measure
        var estimates: [String: [String: Moments]] = [:]  // model → estimated measure
        var closed: [WindowReport] = []
        func collect() {
            for report in closed where report.records >= chunkSpec.minCount {
                summary.chunks += 1
                for (name, value) in report.estimated?.measures ?? [] {
                    estimates[report.model, default: [:]][name, default: Moments()].add(value)
                }
                for f in report.features {
                    guard let d = f.drift else { continue }
                    let values: [(String, Double?)] = [
                        ("psi", d.psi), ("js", d.js), ("ks", d.ks), ("wasserstein", d.wasserstein),
                        ("wasserstein_norm", d.wassersteinNorm),
                    ]
                    for (name, value) in values {
                        guard let value else { continue }
                        measures[report.model, default: [:]][f.feature, default: [:]][name, default: Moments()].add(
                            value)
                    }
                }
            }
            closed.removeAll()
        }
        nextPass()
        try Inputs.read(
            inputs, maxLineBytes: config.limits.maxLineBytes, maxZstdWindow: config.limits.maxZstdWindow.bytes,
            telemetry: quiet
        ) { batch in
            observe(batch)
            aggregator.add(batch, closed: &closed)
            collect()
        }
        aggregator.closeAll(into: &closed)
        collect()
        for (model, features) in measures {
            for (feature, byMeasure) in features {
                for (name, m) in byMeasure {
                    guard let std = m.standardDeviation else { continue }  // at least two chunks
                    profile.models[model]?.features[feature]?.thresholds[name] = m.mean + 3 * std
                }
            }
        }
        for (model, byMeasure) in estimates {
            // Performance that falls is what matters: the lower side of NannyML's mean ± 3σ band.
            let lower = byMeasure.compactMapValues { m in m.standardDeviation.map { m.mean - 3 * $0 } }
            if !lower.isEmpty { profile.models[model]?.estimatedThresholds = lower }
        }
        summary.models = profile.models.count
        summary.features = profile.models.values.reduce(0) { $0 + $1.features.count }
        summary.withoutValidValues = profile.models.flatMap { model, m in
            m.features.filter { $0.value.count == 0 }.map { "\(model)/\($0.key)" }
        }.sorted()
        return (profile, summary)
    }

    /// Telemetry for the later passes, so that a bad line is logged and counted once, in the first pass.
    private var quiet: Telemetry { Telemetry(logger: telemetry.logger, rateLimit: 0) }

    /// One pass over the inputs: every record to `body`; returns records and rejected lines. Only the first pass
    /// logs and counts what it rejects.
    private func scan(
        _ inputs: [String], parser: inout BatchParser, firstPass: Bool, _ observe: (LineBatch) -> Void,
        _ body: (Record, RecordBuffer) -> Void
    ) throws(DriftError) -> (Int, Int) {
        var records = 0
        var rejected = 0
        let events = firstPass ? telemetry : quiet
        try Inputs.read(
            inputs, maxLineBytes: config.limits.maxLineBytes, maxZstdWindow: config.limits.maxZstdWindow.bytes,
            telemetry: events
        ) { batch in
            observe(batch)
            let parsed = parser.parse(batch)
            for r in parsed.rejections {
                LineRejected(source: batch.source, line: r.line, reason: r.reason).emit(to: events)
            }
            rejected += parsed.rejections.count
            records += parsed.buffer.records.count
            for record in parsed.buffer.records { body(record, parsed.buffer) }
        }
        return (records, rejected)
    }
}
