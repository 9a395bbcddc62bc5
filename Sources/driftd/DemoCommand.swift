import ArgumentParser
import DriftConfig
import DriftCore
import DriftGenerate
import DriftPipeline
import Foundation
import Logging
import Synchronization

/// `driftd demo`: the whole promise in two minutes with nothing to prepare. Builds a reference from known-good
/// logs, then writes live zstd logs (rotated by rename, event time `speedup` times faster than the wall clock)
/// in which four features drift part-way, runs the daemon on them with the shipped rules and an exec hook that
/// prints each alert, shows a live table, and leaves metric files and an HTML report behind.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "A self-contained run with live logs, drift injected and alerts firing.")

    @Option(name: .long, help: "The workspace (its logs, metrics and state are removed and recreated).")
    var dir: String = "driftd-demo"
    @Option(name: .long, help: "How long the live part runs, wall time (e.g. 90s, 2m).") var duration: String = "90s"
    @Option(name: .long, help: "Event time runs this many times faster than the wall clock.") var speedup: Int = 60
    @Option(name: .long, help: "Seconds between two live tables.") var every: Int = 10
    @Option(name: .long, help: "driftd's own log level (warning by default, to keep the demo readable).")
    var logLevel: LogLevel = .warning

    /// Records per second of event time: a 1-minute window holds 3,000.
    static let eventRate = 50.0
    /// Few enough merchants that the 90,000 reference records see them all: with the generator's 50,000, a
    /// fifth of every window's merchants would be unseen and `UnseenCategories` would rightly fire.
    static let merchants = 2_000

    func run() throws {
        guard let span = Span(parsing: duration), span.nanoseconds >= 5_000_000_000 else {
            throw ValidationError("--duration: write a span of at least 5s, such as 90s or 2m")
        }
        guard speedup >= 1, every >= 1 else { throw ValidationError("--speedup and --every must be at least 1") }
        let telemetry = LogOptions.bootstrap(level: logLevel.level, format: .logfmt)
        let ws = DemoWorkspace(dir: dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + "/" + dir)
        let seconds = Double(span.nanoseconds) / 1e9
        let liveRecords = Int(seconds * Double(speedup) * Self.eventRate)
        let driftAt = liveRecords * 2 / 5
        say(
            "driftd demo in \(ws.dir): one model, 12 features plus prediction and actual, 1-minute windows, event time ×\(speedup)."
        )

        // 1. Reference: 30 minutes of known-good logs, then the profile.
        var reference = SyntheticLog.Options()
        reference.seed = 1
        reference.rate = Self.eventRate
        reference.merchants = Self.merchants
        let cfg: DriftConfig
        do {
            try ws.create()
            try writeLog(ws.referenceLogs, SyntheticLog(options: reference), records: 90_000)
            cfg = try ConfigLoader.load(path: ws.config)
            let (profile, summary) = try Baseline(config: cfg, telemetry: telemetry).run(files: [ws.referenceLogs])
            try ReferenceFile.save(profile, to: ws.reference)
            say("reference: \(summary.records) known-good records → \(ws.reference)")
        } catch let error as DriftError {
            throw fail(error.message)
        } catch {
            throw fail("\(error)")
        }

        // 2. The daemon, in this process, on the live logs. Ctrl-C from now on waits until it can stop cleanly
        // (the threads started from here inherit the mask; Dispatch's own threads block every signal).
        Daemon.blockHandledSignals()
        var options = Daemon.Options()
        options.pollInterval = .milliseconds(250)
        options.checkpointInterval = .seconds(5)
        let daemon = Daemon(config: cfg, telemetry: telemetry, options: options)
        let daemonDone = DispatchSemaphore(value: 0)
        let daemonError = Mutex<String?>(nil)
        let daemonFinished = Atomic<Bool>(false)
        Thread.detachNewThread {
            do throws(DriftError) { _ = try daemon.run() } catch { daemonError.withLock { $0 = error.message } }
            daemonFinished.store(true, ordering: .releasing)
            daemonDone.signal()
        }

        // 3. The live writer: drift in amount, score_b, country and channel from 40% of the run on.
        var live = SyntheticLog.Options()
        live.seed = 2
        live.rate = Self.eventRate
        live.merchants = Self.merchants
        live.start = reference.start + .seconds(86_400)
        live.driftAfter = driftAt
        say(
            "live: \(liveRecords) records over \(Int(seconds))s, rotated every 20,000; drift from record \(driftAt) on "
                + "(amount, score_b, country, channel's nulls). The exec hook writes each alert to hook.log, shown as [hook].\n"
        )
        let writer = LiveWriter(
            path: ws.logs, log: SyntheticLog(options: live), records: liveRecords,
            perSecond: Double(speedup) * Self.eventRate)
        Thread.detachNewThread { writer.run() }

        var summary = DemoSummary(path: ws.metrics + "/metrics.jsonl")
        let started = Telemetry.monotonicNanoseconds()
        var nextTable = Double(every)
        // Until the writer is done — or the daemon stopped first: Ctrl-C (SIGINT) stops it, as it would `driftd run`.
        var hookLines = HookLogFollower(path: ws.hookLog)
        while !writer.finished.withLock({ $0 }), !daemonFinished.load(ordering: .acquiring) {
            Thread.sleep(forTimeInterval: 0.25)
            for line in hookLines.newLines() { say(line) }
            let elapsed = Double(Telemetry.monotonicNanoseconds() - started) / 1e9
            if elapsed >= nextTable {
                summary.update()
                say("── \(Int(elapsed))s " + String(repeating: "─", count: 60) + "\n" + summary.render())
                nextTable += Double(every)
            }
        }
        writer.cancelled.withLock { $0 = true }
        if let message = writer.error.withLock({ $0 }) { throw fail("demo writer: \(message)") }
        // Let the daemon read the last frames, then stop it as SIGTERM would (checkpoint, exit).
        Thread.sleep(forTimeInterval: 1.5)
        daemon.stop()
        daemonDone.wait()
        for line in hookLines.newLines() { say(line) }
        if let message = daemonError.withLock({ $0 }) { throw fail(message) }
        summary.update()
        say("── end " + String(repeating: "─", count: 62) + "\n" + summary.render())

        _ = try ReportCommand.write(
            metrics: ws.metrics, output: ws.report, title: "driftd demo",
            reference: try? ReferenceFile.load(ws.reference),
            rules: cfg.rules)
        let alerted = summary.alerted
        let inputs = SyntheticLog.driftedFeatures.sorted()
        let outputs = alerted.filter { $0.hasPrefix("prediction") || $0 == "actual" }.sorted()
        let stable = alerted.intersection(SyntheticLog.stableFeatures).sorted()
        say(
            "Drift was injected in \(inputs.joined(separator: ", ")); alerts fired for "
                + "\(inputs.filter(alerted.contains).count) of them, for the model's outputs that follow them "
                + "(\(outputs.isEmpty ? "none" : outputs.joined(separator: ", "))), and for "
                + (stable.isEmpty ? "none" : stable.joined(separator: ", "))
                + " of the \(SyntheticLog.stableFeatures.count) stable features.")
        say(
            "Metric lines: \(ws.metrics)/metrics.jsonl\nReport: \(ws.report) (open it in a browser)\n"
                + "Run the daemon yourself: driftd run --config \(ws.config)")
    }

    private func writeLog(_ path: String, _ log: SyntheticLog, records: Int) throws(DriftError) {
        var log = log
        let w = try LogFileWriter(path: path, options: LogFileWriter.Options())
        for _ in 0..<records { try w.write(line: log.nextLine()) }
        try w.close()
    }

    private func say(_ s: String) {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }
}

/// The lines the demo's hook appended to its file since the last look.
struct HookLogFollower {
    let path: String
    private var offset = 0

    init(path: String) {
        self.path = path
    }

    mutating func newLines() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let bytes = [UInt8](data)
        guard bytes.count > offset, let lastNewline = bytes[offset...].lastIndex(of: 0x0A) else { return [] }
        defer { offset = lastNewline + 1 }
        return String(decoding: bytes[offset..<lastNewline], as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
