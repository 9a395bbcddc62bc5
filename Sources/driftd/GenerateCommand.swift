import ArgumentParser
import DriftCore
import DriftGenerate
import DriftSystem

#if canImport(Glibc)
    import Glibc
#endif

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write deterministic synthetic prediction logs (for demos, tests and benchmarks).",
        discussion: """
            Drift, when asked for, changes exactly amount, score_b, country and channel; the other twelve features \
            stay stable. A path ending in .zst is written as zstd (block flush every --flush-every lines, frame end \
            every --frame-lines lines, checksums on); anything else as plain JSON lines.
            """)

    @Option(name: .long, help: "The file to write (rotated files get -0001, -0002, … appended).") var output: String
    @Option(name: .long, help: "Number of records.") var records: Int = 10_000
    @Option(name: .long, help: "Random seed; the same seed gives the same file.") var seed: UInt64 = 42
    @Option(name: .long, help: "Comma-separated model names.") var models: String = "fraud-v3"
    @Option(name: .long, help: "Records per second of event time.") var rate: Double = 100
    @Option(name: .long, help: "RFC 3339 event time of the first record.") var start: String = "2026-11-26T00:00:00Z"
    @Option(name: .long, help: "Inject drift from this record on.") var driftAfter: Int?
    @Option(name: .long, help: "zstd: lines between block flushes.") var flushEvery: Int = 8
    @Option(name: .long, help: "zstd: lines per frame.") var frameLines: Int = 1000
    @Option(name: .long, help: "zstd compression level.") var level: Int32 = 3
    @Option(name: .long, help: "Rotate after this many lines.") var rotateEvery: Int?
    @Option(
        name: .long,
        help:
            "rename (to <output>-0001, …, then create) or replace (keep as replaced-0001-<name>, then atomically replace the live file)."
    )
    var rotateMode: String = "rename"
    @Option(name: .long, help: "Write at most this many records per second of wall time (a live writer).")
    var pace: Double?
    @Option(name: .long, help: "Distinct merchant_id values to draw from (the high-cardinality feature).")
    var merchants: Int = 50_000
    @Option(
        name: .long,
        help:
            "compact (values rounded, nothing driftd does not read) or realistic (UUIDs, 17-digit doubles, nulls, numeric-looking strings, an object driftd skips; ~560 bytes a line)."
    )
    var shape: String = "compact"
    @Flag(
        name: .long,
        help: "Name each model's features after it (m7_amount), as a fleet's models name theirs differently.")
    var ownFeatureNames = false

    func validate() throws {
        guard records >= 0 else { throw ValidationError("--records must be 0 or more") }
        guard rate > 0 else { throw ValidationError("--rate must be positive") }
        guard SyntheticLog.Shape(rawValue: shape) != nil else {
            throw ValidationError("--shape must be compact or realistic")
        }
        guard merchants > 0 else { throw ValidationError("--merchants must be positive") }
        guard (pace ?? 1) > 0 else { throw ValidationError("--pace must be positive") }
        guard LogFileWriter.Options.Rotation(rawValue: rotateMode) != nil else {
            throw ValidationError("--rotate-mode must be rename or replace")
        }
        guard flushEvery > 0, frameLines > 0 else {
            throw ValidationError("--flush-every and --frame-lines must be positive")
        }
        guard EventTime(rfc3339: start) != nil else {
            throw ValidationError("--start must be an RFC 3339 time such as 2026-11-26T00:00:00Z")
        }
    }

    func run() throws {
        var options = SyntheticLog.Options()
        options.seed = seed
        options.models = models.split(separator: ",").map(String.init)
        options.rate = rate
        options.start = EventTime(rfc3339: start)!
        options.driftAfter = driftAfter
        options.merchants = merchants
        options.shape = SyntheticLog.Shape(rawValue: shape)!
        options.ownFeatureNames = ownFeatureNames
        var log = SyntheticLog(options: options)
        var fileOptions = LogFileWriter.Options()
        fileOptions.zstd = output.hasSuffix(".zst")
        fileOptions.level = level
        fileOptions.flushEvery = flushEvery
        fileOptions.frameLines = frameLines
        fileOptions.rotateEvery = rotateEvery
        fileOptions.rotation = LogFileWriter.Options.Rotation(rawValue: rotateMode)!
        do {
            if let slash = output.lastIndex(of: "/"), slash != output.startIndex {
                try FileSystem.makeDirectories(String(output[..<slash]))
            }
            let writer = try LogFileWriter(path: output, options: fileOptions)
            let started = Telemetry.monotonicNanoseconds()
            for i in 0..<records {
                try writer.write(line: log.nextLine())
                if let pace, i % 50 == 49 {
                    let due = started + Int64(Double(i + 1) / pace * 1e9)
                    let ahead = due - Telemetry.monotonicNanoseconds()
                    if ahead > 0 { usleep(UInt32(ahead / 1000)) }
                }
            }
            try writer.close()
            FileHandleStderr.write("generate: \(records) records → \(writer.files.joined(separator: ", "))\n")
        } catch {
            throw fail(error.message)
        }
    }
}
