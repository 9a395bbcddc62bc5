import ArgumentParser
import DriftCore
import DriftPipeline

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the pipeline over finished files, close every window at the end, and exit.")

    @Option(name: .long, help: "The config file.") var config: String
    @Option(name: .long, help: "Write metric files here instead of the config's output.dir.") var outputDir: String?
    @Option(
        name: .long, help: "Parsing and aggregating threads (default: one per core); the output does not depend on it.")
    var workers: Int = Replay.defaultWorkers
    @Flag(
        name: .long,
        help:
            "Run the config's hooks on alerts (off by default: a backfill pages no one; the metric file has the alerts)."
    )
    var hooks = false
    @OptionGroup var log: LogOptions
    @Argument(help: "Files to read (default: the config's inputs); '-' reads standard input.") var files: [String] = []

    /// More threads than this only cost memory (each holds batches in flight).
    static let maxWorkers = 256

    func validate() throws {
        guard (1...Self.maxWorkers).contains(workers) else {
            throw ValidationError(
                "--workers must be between 1 and \(Self.maxWorkers) (default: one per core), not \(workers)")
        }
    }

    func run() throws {
        let telemetry = log.bootstrap()
        let cfg = try loadConfig(config)
        let started = Telemetry.monotonicNanoseconds()
        let summary: Replay.Summary
        let progress = TerminalProgress(label: "replay")
        do {
            var replay = Replay(config: cfg, telemetry: telemetry)
            replay.runsHooks = hooks
            summary = try replay.run(
                files: files, outputDirectory: outputDir, workers: max(1, workers), progress: progress?.update)
            progress?.finish()
        } catch {
            progress?.finish()
            throw fail(error.message, code: error.code == .config ? 2 : 1)
        }
        let seconds = Double(Telemetry.monotonicNanoseconds() - started) / 1e9
        var parts = [
            "\(summary.files) file(s)", "\(summary.records) records", "\(summary.rejected) rejected",
            "\(summary.late) late", "\(summary.windows) windows",
        ]
        if summary.alertsFired + summary.alertsResolved > 0 {
            parts.append("\(summary.alertsFired) alert(s) fired, \(summary.alertsResolved) resolved")
        }
        if summary.corruptFrames > 0 { parts.append("\(summary.corruptFrames) corrupt zstd frame(s) skipped") }
        if summary.truncatedFrames > 0 {
            parts.append("\(summary.truncatedFrames) truncated zstd frame(s) at end of file")
        }
        if summary.unattributedRejected > 0 {
            parts.append("\(summary.unattributedRejected) rejected line(s) with no record to attribute them to")
        }
        let rate = seconds > 0 ? Int(Double(summary.records) / seconds) : 0
        let megabytes = Double(summary.decompressedBytes / 100_000) / 10
        parts.insert("\(megabytes) MB of JSON", at: 1)
        FileHandleStderr.write(
            "replay: \(parts.joined(separator: ", ")) in \(formatSeconds(seconds)) (\(rate) records/s) → \(summary.metricFile)\n"
        )
        // Input read, nothing usable (zstd read as text, every timestamp refused): a script must not take it for
        // success (DESIGN §9: exit 3).
        if summary.records == 0 && summary.rejected > 0 {
            throw fail(
                "no usable record: all \(summary.rejected) line(s) were rejected (the log above says why)", code: 3)
        }
    }
}

func formatSeconds(_ s: Double) -> String {
    let tenths = (s * 10).rounded() / 10
    return "\(tenths)s"
}
