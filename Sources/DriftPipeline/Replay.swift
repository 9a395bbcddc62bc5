import DriftAggregate
import DriftConfig
import DriftCore
import DriftRecords
import DriftSinks
import DriftSources
import DriftStats
import Foundation

/// `driftd replay`: the pipeline over finished inputs, every window closed at the end (DESIGN §9).
public struct Replay {
    /// What a replay did, for its closing summary.
    public struct Summary: Sendable {
        public var files = 0
        public var records = 0
        public var rejected = 0
        public var unattributedRejected = 0
        public var windows = 0
        public var late = 0
        public var corruptFrames = 0
        public var truncatedFrames = 0
        /// Bytes of JSON lines read (after decompression).
        public var decompressedBytes: Int64 = 0
        /// Alerts that fired (and resolved) over the replayed windows.
        public var alertsFired = 0
        public var alertsResolved = 0
        public var metricFile = ""
    }

    public let config: DriftConfig
    public let telemetry: Telemetry
    /// The wall clock is read for `limits.max_future` (monotonic time plays no part in a replay).
    public let clocks: Clocks
    /// Whether alerts go to the config's hooks (`replay --hooks`): off, a backfill pages no one; the metric file
    /// has the alerts either way (DESIGN §7).
    public var runsHooks = false

    /// One parsing thread per core.
    public static var defaultWorkers: Int { ProcessInfo.processInfo.activeProcessorCount }

    public init(config: DriftConfig, telemetry: Telemetry, clocks: Clocks = .system) {
        self.clocks = clocks
        self.config = config
        self.telemetry = telemetry
    }

    /// The inputs a replay reads: `files` when given, else every match of the config's globs.
    public func resolveInputs(_ files: [String]) throws(DriftError) -> [String] {
        try Inputs.resolve(
            files.isEmpty ? config.inputs.map(\.path) : files, fromCommandLine: !files.isEmpty,
            telemetry: telemetry)
    }

    /// Reads `files` (or the config's inputs) to their end and writes every window to the metric file.
    /// - Parameters:
    ///   - workers: parsing threads, and aggregating shards (the output does not depend on how many).
    ///   - progress: called after each batch read, on the calling thread.
    public func run(
        files: [String] = [], outputDirectory: String? = nil, workers: Int = Replay.defaultWorkers,
        progress: ((InputProgress.Sample) -> Void)? = nil
    ) throws(DriftError) -> Summary {
        let inputs = try resolveInputs(files)
        guard !inputs.isEmpty else {
            throw DriftError(
                .input, "no input files: name them after the config, or fix inputs[].path in \(config.file)")
        }
        let loadStarted = Telemetry.monotonicNanoseconds()
        let reference = try config.reference.map { path throws(DriftError) in try ReferenceFile.load(path) }
        if let reference {
            telemetry.logger.info(
                "reference profile loaded",
                metadata: [
                    "file": "\(config.reference!)", "models": .stringConvertible(reference.models.count),
                    "milliseconds": .stringConvertible(
                        Double((Telemetry.monotonicNanoseconds() - loadStarted) / 10_000) / 100),
                ])
        }
        let output = try OutputStage(
            config: config, reference: reference, directory: outputDirectory, retrying: false,
            telemetry: telemetry)
        var aggregator = Aggregator(
            schema: config.schema, windows: config.windows, limits: config.limits.records,
            reference: reference, performance: config.performance, telemetry: telemetry, shards: workers,
            clock: clocks.monotonic, wallClock: clocks.wall)
        aggregator.profiles = config.output.profiles
        // Labels (DESIGN §12) come from the config's `labels:` globs, merged by event time with the predictions.
        let labelPaths = try Inputs.resolve(
            config.labels.map(\.input.path), fromCommandLine: false, telemetry: telemetry
        ).filter { !inputs.contains($0) }
        if !config.labels.isEmpty {
            aggregator.joinLabels(maxDelay: config.labelDelay, maxPending: config.limits.maxPendingLabels)
        }
        var summary = Summary()
        summary.metricFile = output.writer.path
        // Each window is written as it closes (the end of 10,000 models' input closes 30,000 windows at once), on
        // the output's own thread.
        let writer = ReplayOutput(output, notify: runsHooks)
        func write(_ report: WindowReport) { writer.submit(report) }

        // Each file is read and decompressed on its own thread and parsed on its own parsers, a few batches
        // ahead; this thread takes their records merged by event time (DESIGN §2) and aggregates them.
        var position = InputProgress(paths: progress == nil ? [] : inputs + labelPaths)
        var merged = MergedRead(
            paths: inputs + labelPaths, config: config, workers: workers, wallClock: clocks.wall, telemetry: telemetry)
        merged.labelPaths = Set(labelPaths)
        try merged.run(
            batchRead: { parsed in
                guard let progress else { return }
                position.observe(source: parsed.source, resume: parsed.resume)
                progress(
                    .init(doneBytes: position.doneBytes, totalBytes: position.totalBytes, records: aggregator.records))
            },
            aggregate: { slice in
                guard !writer.failed else { return }  // drain, so that no reader is left waiting
                aggregator.ingest(slice.batch, records: slice.records, emit: write)
            })
        summary.files = inputs.count
        if !writer.failed { aggregator.closeAll(emit: write) }
        let (counts, writeError) = writer.finish()
        if let writeError { throw writeError }
        summary.windows = counts.windows
        summary.late = counts.late
        summary.alertsFired = counts.alertsFired
        summary.alertsResolved = counts.alertsResolved
        output.writer.sync()
        output.close(timeout: .seconds(10))
        try output.writeTextfile()
        summary.records = aggregator.records
        summary.rejected = aggregator.rejected
        summary.unattributedRejected = aggregator.unattributedRejected
        summary.corruptFrames = telemetry.counter("zstd_frames_corrupt_total")
        summary.truncatedFrames = telemetry.counter("zstd_frames_truncated_total")
        summary.decompressedBytes = Int64(telemetry.counter("source_bytes_decompressed_total"))
        return summary
    }
}

extension DriftConfig.Output {
    /// The metric file's rolling settings.
    var rolling: MetricFileWriter.Rolling {
        MetricFileWriter.Rolling(maxBytes: maxBytes.bytes, maxAge: maxAge, keep: keep)
    }
}
