#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch
import Foundation
import DriftAlerts
import DriftConfig
import DriftCore
import DriftEvaluate
import DriftHooks
import DriftRecords
import DriftSinks
import DriftSources
import DriftStats
import DequeModule
import Synchronization

/// `driftd run`: follows the inputs, closes windows as the watermark or the idle timeout says, writes them, and
/// checkpoints so that a restart after `kill -9` continues exactly where the last checkpoint was (DESIGN §8).
///
/// All pipeline work happens on one serial Dispatch queue, woken by inotify (the input directories), a poll
/// timer (the fallback, and idle timeouts), and SIGTERM/SIGINT. A checkpoint — positions, open windows and the
/// metric file's size — is taken after every window close, every ``checkpointInterval`` while reading, and at
/// shutdown.
public final class Daemon: @unchecked Sendable {
    public struct Options: Sendable {
        public var pollInterval: Span = .seconds(1)
        public var checkpointInterval: Span = .seconds(10)
        public var rotateWait: Span = .seconds(5)
        /// How often a `kind: self` line with driftd's own counters goes to the metric file.
        public var selfInterval: Span = .seconds(60)
        /// How long inotify events are gathered before a round of reading (the added latency).
        public var coalesce: Span = .milliseconds(100)

        public init() {}
    }

    /// The config in force (replaced by a successful SIGHUP reload).
    private var config: DriftConfig
    private let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
    private var lastWatchdog: Int64 = 0
    private var lastStatus: Int64 = 0
    private var recordsAtLastStatus = 0
    private var lastSelfLine: Int64 = 0
    private let startedAt = Telemetry.monotonicNanoseconds()
    private let telemetry: Telemetry
    private let options: Options
    private let clock: @Sendable () -> Int64
    private let queue = DispatchQueue(label: "driftd.pipeline")
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var exitCode: Int32 = 0

    // Touched on `queue` only.
    private var tailer: Tailer!
    private var aggregator: Aggregator!
    private var writer: MetricFileWriter!
    private var store: CheckpointStore!
    private var alreadyWritten: Set<String> = []
    /// After a start without a usable checkpoint: per series, the newest window start the metric files held.
    private var writtenThrough: [String: Int64] = [:]
    /// Closed windows not yet written, with the alert events their evaluation produced.
    private var unwritten = Deque<(report: WindowReport, alerts: [AlertEvent], alreadyWritten: Bool)>()
    /// One daemon per state directory.
    private var lock: StateLock?
    private var router: AlertRouter!
    /// The latest written window per model and window size, for the Prometheus textfile.
    private var latest: [String: WindowReport] = [:]
    private var lastCheckpoint: Int64 = 0
    private var readSinceCheckpoint = false
    /// The tailer's generation at the last checkpoint.
    private var checkpointedGeneration = -1
    private var sources: [DispatchSourceProtocol] = []
    private var inotify: InotifyWatch?
    private var inotifySource: DispatchSourceRead?
    private var inotifySuspended = false

    public init(config: DriftConfig, telemetry: Telemetry, options: Options = Options(),
                clock: @escaping @Sendable () -> Int64 = Telemetry.monotonicNanoseconds) {
        self.config = config
        self.telemetry = telemetry
        self.options = options
        self.clock = clock
    }

    /// Runs until SIGTERM or SIGINT; returns the exit code.
    public func run() throws(DriftError) -> Int32 {
        try start()
        finished.wait()
        return exitCode
    }

    /// Asks the daemon to stop: finish the batch at hand, checkpoint, return from ``run()``.
    public func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        queue.async { self.shutdown() }
    }

    private func start() throws(DriftError) {
        lock = try StateLock(stateDirectory: config.stateDir)
        let reference = try config.reference.map { path throws(DriftError) in try ReferenceFile.load(path) }
        store = CheckpointStore(stateDirectory: config.stateDir, telemetry: telemetry)
        tailer = Tailer(
            patterns: config.inputs.map { .init(glob: $0.path, startAtEnd: $0.startAt == .end) },
            maxLineBytes: config.limits.maxLineBytes, rotateWait: options.rotateWait,
            maxOpenFiles: config.limits.maxOpenFiles, maxZstdWindow: config.limits.maxZstdWindow.bytes, telemetry: telemetry,
            clock: clock)
        aggregator = Aggregator(
            schema: config.schema, windows: config.windows, limits: config.limits.records,
            reference: reference, telemetry: telemetry, clock: clock)
        writer = try MetricFileWriter(directory: config.output.dir, rolling: config.output.rolling, retrying: true)
        router = try AlertRouter(config: config, reference: reference, telemetry: telemetry)
        var checkpoint = store.load()
        if let problem = checkpoint?.aggregator.problem(windows: config.windows) {
            store.setAside(because: problem)
            checkpoint = nil
        }
        var repair = MetricFileRepair.Result()
        do {
            repair = try repairMetricFiles(after: checkpoint)
        } catch {
            telemetry.logger.error("cannot check the metric file; windows are written when it can be written",
                                   metadata: ["error": "\(error)"])
        }
        if repair.removedBytes > 0 {
            telemetry.logger.warning(
                "metric file ended with an unfinished window (a crash); removed it, it will be written again",
                metadata: ["file": "\(writer.path)", "bytes": "\(repair.removedBytes)"])
        }
        if let checkpoint {
            tailer.restore(checkpoint.tailer)
            router.restore(checkpoint.alerts ?? [:])
            if !aggregator.restore(checkpoint.aggregator) {
                telemetry.logger.warning("the configured windows changed since the checkpoint; its open windows are dropped")
            }
            alreadyWritten = repair.committed.union(checkpoint.written ?? [])
            writtenThrough = checkpoint.writtenThrough ?? [:]
            telemetry.logger.info(
                "resuming from checkpoint",
                metadata: ["files": "\(checkpoint.tailer.files.count)", "windows_already_written": "\(alreadyWritten.count)"])
        } else {
            // No usable checkpoint: the inputs are read again from their start_at, and the metric files say which
            // windows are written already (DESIGN §8: a lost checkpoint never duplicates output).
            writtenThrough = MetricFileRepair.writtenThrough(directory: config.output.dir)
            if !writtenThrough.isEmpty {
                telemetry.logger.info(
                    "no checkpoint; windows the metric files already hold will not be written again",
                    metadata: ["series": "\(writtenThrough.count)"])
            }
        }
        lastCheckpoint = clock()
        installSignals()
        installWatches()
        queue.async {
            // Signal handlers and watches are in place: ready.
            self.notifier.send("READY=1\nSTATUS=" + self.statusText())
            self.lastStatus = self.clock()
            self.lastSelfLine = self.clock()
            self.telemetry.logger.info("ready", metadata: ["config": "\(self.config.file)"])
            self.tick()
        }
    }

    /// The repair at start: the live file from the checkpoint's offset — or, when it was rolled since the
    /// checkpoint (a crash between a roll and the checkpoint after it), the rolled file from that offset and the
    /// whole new live file.
    private func repairMetricFiles(after checkpoint: Checkpoint?) throws(DriftError) -> MetricFileRepair.Result {
        guard let checkpoint, let inode = checkpoint.metricsInode, FileSystem.inode(of: writer.path) != inode else {
            return try MetricFileRepair.repair(path: writer.path, after: checkpoint?.metricsOffset)
        }
        var result = MetricFileRepair.Result()
        let directory = config.output.dir
        if let rolled = FileSystem.entries(of: directory).map({ directory + "/" + $0 })
            .first(where: { FileSystem.inode(of: $0) == inode })
        {
            result = try MetricFileRepair.repair(path: rolled, after: checkpoint.metricsOffset)
        }
        let live = try MetricFileRepair.repair(path: writer.path, after: 0)
        result.committed.formUnion(live.committed)
        result.removedBytes += live.removedBytes
        return result
    }

    private func installSignals() {
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangup.setEventHandler { [weak self] in self?.reload() }
        hangup.resume()
        sources.append(hangup)
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                self?.telemetry.logger.info("stopping", metadata: ["signal": "\(sig == SIGTERM ? "SIGTERM" : "SIGINT")"])
                self?.stop()
            }
            source.resume()
            sources.append(source)
        }
    }

    private func installWatches() {
        let directories = Set(config.inputs.map(\.path).filter { $0 != "-" }.map(FileSystem.directory(of:)))
        inotify = InotifyWatch(directories: Array(directories), telemetry: telemetry)
        if let inotify {
            let source = DispatchSource.makeReadSource(fileDescriptor: inotify.fd, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self, let inotify = self.inotify else { return }
                // A busy writer flushes thousands of times a second: stop listening for a moment, let the kernel
                // gather its events, then read them and the files in one round.
                let scan = inotify.drain()
                self.inotifySource?.suspend()
                self.inotifySuspended = true
                self.queue.asyncAfter(deadline: .now() + .nanoseconds(Int(self.options.coalesce.nanoseconds))) {
                    guard self.inotifySuspended else { return }  // resumed by the shutdown
                    self.tick(scan: (self.inotify?.drain() ?? false) || scan)
                    self.inotifySuspended = false
                    self.inotifySource?.resume()
                }
            }
            inotifySource = source
            source.resume()
            sources.append(source)
        }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = Int(options.pollInterval.nanoseconds)
        timer.schedule(deadline: .now() + .nanoseconds(interval), repeating: .nanoseconds(interval))
        timer.setEventHandler { [weak self] in
            self?.inotify?.addMissingWatches()
            self?.tick()
        }
        timer.resume()
        sources.append(timer)
    }

    /// One round: look at the files (unless only writes happened), read what is new, close windows, write them,
    /// checkpoint when due.
    private func tick(scan: Bool = true) {
        guard !stopping.load(ordering: .relaxed) else { return }
        defer { lifecycleChores() }
        var closed: [WindowReport] = []
        if unwritten.isEmpty {  // while windows wait for the disk, reading waits too
            if scan { tailer.scan() }
            // A new, renamed or closed file is recorded before anything else is read: a file rotated out of the
            // glob (by replacement) can then be found again by its identity after a crash.
            if tailer.generation != checkpointedGeneration { checkpoint() }
            let deliver: (LineBatch) -> Void = { batch in
                self.aggregator.add(batch, closed: &closed)
                self.readSinceCheckpoint = true
            }
            do {
                try tailer.pump(stop: { self.stopping.load(ordering: .relaxed) }, deliver)
            } catch {
                telemetry.logLimited(.error, key: "read", "reading an input failed; will retry", metadata: ["error": "\(error)"])
            }
            tailer.closeFinished(deliver)
            aggregator.closeIdle(into: &closed)
        }
        for report in closed {
            // Evaluated once, when the window closes; a window written before a crash is not notified again.
            let key = MetricFileRepair.key(model: report.model, window: report.window, start: report.start.rfc3339)
            let series = MetricFileRepair.seriesKey(model: report.model, window: report.window)
            var written = alreadyWritten.remove(key) != nil
            if let through = writtenThrough[series] {
                if report.start.nanoseconds <= through {
                    written = true
                } else {
                    writtenThrough[series] = nil  // a newer window of the series: every earlier one has closed
                }
            }
            let alerts = router.evaluate(report, now: EventTime(nanoseconds: Telemetry.wallClockNanoseconds()), notify: !written)
            unwritten.append((report, alerts, written))
        }
        let wroteWindows = writeUnwritten()
        if unwritten.isEmpty,
            wroteWindows || (readSinceCheckpoint && clock() - lastCheckpoint >= options.checkpointInterval.nanoseconds)
        {
            checkpoint()
        }
    }

    /// Writes the closed windows in order; stops at the first failure and keeps the rest for the next tick.
    private func writeUnwritten() -> Bool {
        var wrote = false
        while let (report, alerts, written) = unwritten.first {
            if !written {
                do {
                    try writer.append(lines: MetricLineEncoder.lines(for: report, alerts: alerts))
                } catch {
                    telemetry.logLimited(
                        .error, key: "write", "cannot write the metric file; reading pauses, retrying",
                        metadata: ["error": "\(error)"])
                    return wrote
                }
            }
            _ = unwritten.popFirst()
            latest[report.model + "\u{1F}" + report.window] = report
            wrote = true
        }
        return wrote
    }

    private func checkpoint() {
        // Rolling only here keeps every window written since the last checkpoint in the live file, where the
        // repair after a crash looks for them.
        if writer.shouldRoll {
            do {
                let rolled = try writer.roll()
                telemetry.increment("metric_files_rolled_total")
                telemetry.logger.info("metric file rolled", metadata: ["file": "\(rolled)"])
            } catch {
                telemetry.logLimited(.error, key: "roll", "cannot roll the metric file; will retry",
                                     metadata: ["error": "\(error)"])
            }
        }
        writer.sync()
        writeTextfile()
        let generation = tailer.generation
        let checkpoint = Checkpoint(tailer: tailer.state, aggregator: aggregator.state, metricsOffset: writer.size(),
                                    metricsInode: FileSystem.inode(of: writer.path), alerts: router.engine.savedStates,
                                    written: alreadyWritten, writtenThrough: writtenThrough)
        do {
            try store.save(checkpoint)
            lastCheckpoint = clock()
            readSinceCheckpoint = false
            checkpointedGeneration = generation
            telemetry.increment("checkpoints_total")
        } catch {
            telemetry.logLimited(.error, key: "checkpoint", "cannot write the checkpoint; will retry",
                                 metadata: ["error": "\(error)"])
        }
    }

    /// After each round: the watchdog ping (this round ran, so the pipeline is alive), the STATUS line, and a
    /// `kind: self` metric line every minute.
    private func lifecycleChores() {
        let now = clock()
        if let interval = notifier.watchdogInterval, now - lastWatchdog >= interval.nanoseconds {
            notifier.send("WATCHDOG=1")
            lastWatchdog = now
        }
        if now - lastStatus >= 5_000_000_000 {
            notifier.send("STATUS=" + statusText())
            lastStatus = now
            recordsAtLastStatus = aggregator.records
        }
        if now - lastSelfLine >= options.selfInterval.nanoseconds, unwritten.isEmpty {
            lastSelfLine = now
            do {
                try writer.append(line: MetricLineEncoder.selfLine(
                    counters: telemetry.countersWithTotals, at: EventTime(nanoseconds: Telemetry.wallClockNanoseconds()),
                    uptimeSeconds: Double(now - startedAt) / 1e9))
            } catch {
                telemetry.logLimited(.error, key: "write", "cannot write the metric file; retrying", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One line for systemd's STATUS=: throughput and driftd's own counts.
    private func statusText() -> String {
        let seconds = max(1, Double(clock() - lastStatus) / 1e9)
        let rate = lastStatus == 0 ? 0 : Int(Double(aggregator.records - recordsAtLastStatus) / seconds)
        let c = telemetry.countersWithTotals
        return "\(aggregator.records) records (\(rate)/s), \(c["windows_emitted_total"] ?? 0) windows, "
            + "\(aggregator.rejected) rejected, \(c["window_late_records_total"] ?? 0) late, "
            + "\(c["hook_failures_total"] ?? 0) hook failures, \(tailer.followedPaths.count) files"
    }

    /// SIGHUP: reads the config again. A bad config is refused — logged with its file and line — and the one in
    /// force stays. Rules, hooks, inputs and the textfile take effect at once; windows, schema, reference, limits,
    /// output directory and state directory need a restart (said in the log).
    private func reload() {
        notifier.send("RELOADING=1")
        defer { notifier.send("READY=1\nSTATUS=" + statusText()) }
        let fresh: DriftConfig
        do {
            fresh = try ConfigLoader.load(path: config.file)
        } catch {
            telemetry.increment("config_reloads_refused_total")
            for d in error.diagnostics { telemetry.logger.error("config reload refused: \(d)") }
            telemetry.logger.error("config reload refused; the previous config stays in force",
                                   metadata: ["file": "\(config.file)", "problems": "\(error.diagnostics.count)"])
            return
        }
        do {
            let reference = try fresh.reference.map { path throws(DriftError) in try ReferenceFile.load(path) }
            let newRouter = try AlertRouter(config: fresh, reference: reference, telemetry: telemetry)
            newRouter.restore(router.engine.savedStates)
            router.close(timeout: .seconds(1), terminate: false)
            router = newRouter
        } catch {
            telemetry.logger.error("config reload refused: \(error); the previous config stays in force")
            return
        }
        var restartNeeded: [String] = []
        if fresh.windows != config.windows { restartNeeded.append("windows") }
        if fresh.schema != config.schema { restartNeeded.append("schema") }
        if fresh.reference != config.reference { restartNeeded.append("reference (alert thresholds reloaded)") }
        if fresh.output.dir != config.output.dir { restartNeeded.append("output.dir") }
        if fresh.stateDir != config.stateDir { restartNeeded.append("state_dir") }
        if fresh.limits != config.limits { restartNeeded.append("limits") }
        tailer.setPatterns(fresh.inputs.map { .init(glob: $0.path, startAtEnd: $0.startAt == .end) })
        let windows = config.windows
        let schema = config.schema
        config = fresh
        config.windows = windows
        config.schema = schema
        telemetry.increment("config_reloads_total")
        telemetry.logger.info(
            "config reloaded", metadata: ["rules": "\(fresh.rules.count)", "hooks": "\(fresh.hooks.count)"])
        if !restartNeeded.isEmpty {
            telemetry.logger.warning("these changes take effect after a restart: \(restartNeeded.joined(separator: ", "))")
        }
    }

    /// Rewrites the Prometheus textfile, if configured: a temporary file renamed over it.
    private func writeTextfile() {
        guard let path = config.output.prometheusTextfile else { return }
        let text = PrometheusTextfile.render(latest: Array(latest.values), counters: telemetry.counters)
        do {
            try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            telemetry.logLimited(.error, key: "textfile", "cannot write the Prometheus textfile; will retry",
                                 metadata: ["error": "\(error)"])
        }
    }

    private func shutdown() {
        notifier.send("STOPPING=1")
        if inotifySuspended {  // a suspended source must not be released
            inotifySuspended = false
            inotifySource?.resume()
        }
        for source in sources { source.cancel() }
        sources = []
        _ = writeUnwritten()
        if unwritten.isEmpty {
            checkpoint()
        } else {
            telemetry.logger.error("stopping with windows not yet written; they are written after the restart")
        }
        router.close(timeout: .seconds(2))
        telemetry.logger.info("stopped", metadata: ["records": "\(aggregator.records)"])
        finished.signal()
    }
}
