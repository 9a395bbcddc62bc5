import Dispatch
import DriftAggregate
import DriftConfig
import DriftCore
import DriftEvaluate
import DriftHTTP
import DriftSinks
import DriftSources
import DriftStats
import DriftSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `driftd run`: follows the inputs, closes windows as the watermark or the idle timeout says, writes them, and
/// checkpoints so that a restart after `kill -9` continues exactly where the last checkpoint was (DESIGN §8).
///
/// The decisions are ``RunStateMachine``'s; this class runs Dispatch, inotify and signals and performs the
/// actions it returns. All pipeline work happens on one serial queue, woken by inotify (the input directories), a
/// poll timer (the fallback, and idle timeouts), and SIGTERM/SIGINT/SIGHUP.
public final class Daemon: @unchecked Sendable {
    public struct Options: Sendable {
        public var pollInterval: Span = .seconds(1)
        public var checkpointInterval: Span = .seconds(10)
        public var rotateWait: Span = .seconds(5)
        /// How often a `kind: self` line with driftd's own counters goes to the metric file.
        public var selfInterval: Span = .seconds(60)
        /// How long inotify events are gathered before a round of reading (the added latency).
        public var coalesce: Span = .milliseconds(100)
        /// How many closed windows a round holds before it evaluates and writes them and reads on: a catch-up
        /// over hours of a thousand models' logs closes hundreds of thousands.
        public var closedPerStep = 1024

        public init() {}
    }

    /// The config in force (replaced by a successful SIGHUP reload).
    var config: DriftConfig
    let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
    let telemetry: Telemetry
    let options: Options
    let clocks: Clocks
    let startedAt: Int64
    let queue = DispatchQueue(label: "driftd.pipeline")
    let stopRequested = StopFlag()
    let finished = DispatchSemaphore(value: 0)

    /// Everything below is touched on `queue` only, after ``start()`` made it.
    struct Running {
        var machine: RunStateMachine
        let tailer: Tailer
        /// Reads the tailer's files merged by event time.
        var tail: MergedTail
        var aggregator: Aggregator
        let output: OutputStage
        let store: CheckpointStore
        /// One daemon per state directory, held until the process ends.
        let lock: StateLock
        var recordsAtLastStatus = 0
        var lastStatusAt: Int64
    }
    var running: Running?
    var watches: Watches?
    /// The HTTP endpoint of `http.listen`, and what it serves.
    var endpoint: HTTPEndpoint?
    let endpointState = EndpointStateBox()

    public init(config: DriftConfig, telemetry: Telemetry, options: Options = Options(), clocks: Clocks = .system) {
        self.config = config
        self.telemetry = telemetry
        self.options = options
        self.clocks = clocks
        startedAt = clocks.monotonic()
        telemetry.set("start_time_seconds", Double(clocks.wall()) / 1e9)
        telemetry.set("config_last_reload_successful", 1)
        telemetry.set("config_last_reload_success_timestamp_seconds", Double(clocks.wall()) / 1e9)
    }

    /// Runs until SIGTERM or SIGINT; returns the exit code.
    public func run() throws(DriftError) -> Int32 {
        try start()
        finished.wait()
        return 0
    }

    /// Asks the daemon to stop: finish the batch at hand, write what waits, checkpoint, return from ``run()``.
    public func stop() {
        guard !stopRequested.set() else { return }
        queue.async { self.shutdown() }
    }

    func start() throws(DriftError) {
        let lock = try StateLock(stateDirectory: config.stateDir)
        let reference = try config.reference.map { path throws(DriftError) in try ReferenceFile.load(path) }
        let store = CheckpointStore(stateDirectory: config.stateDir, telemetry: telemetry)
        let tailer = Tailer(
            patterns: config.followedGlobs.map { .init(glob: $0.path, startAtEnd: $0.startAtEnd, labels: $0.labels) },
            maxLineBytes: config.limits.maxLineBytes, rotateWait: options.rotateWait,
            maxOpenFiles: config.limits.maxOpenFiles, maxZstdWindow: config.limits.maxZstdWindow.bytes,
            telemetry: telemetry, clock: clocks.monotonic)
        var aggregator = Aggregator(
            schema: config.schema, windows: config.windows, limits: config.limits.records, reference: reference,
            performance: config.performance, telemetry: telemetry, clock: clocks.monotonic, wallClock: clocks.wall)
        aggregator.profiles = config.output.profiles
        if !config.labels.isEmpty {
            aggregator.joinLabels(maxDelay: config.labelDelay, maxPending: config.limits.maxPendingLabels)
        }
        let output = try OutputStage(config: config, reference: reference, retrying: true, telemetry: telemetry)
        let recovery = RunRecovery.recover(
            store: store, config: config, metricFile: output.writer.path,
            telemetry: telemetry)
        if recovery.removedBytes > 0 {
            telemetry.logger.warning(
                "metric file ended with an unfinished window (a crash); removed it, it will be written again",
                metadata: ["file": "\(output.writer.path)", "bytes": .stringConvertible(recovery.removedBytes)])
        }
        if let checkpoint = recovery.checkpoint {
            tailer.restore(checkpoint.tailer)
            output.router.restore(checkpoint.alerts ?? [:])
            if !aggregator.restore(checkpoint.aggregator) {
                telemetry.logger.warning(
                    "the configured windows changed since the checkpoint; its open windows are dropped")
            }
            telemetry.logger.info(
                "resuming from checkpoint",
                metadata: [
                    "files": .stringConvertible(checkpoint.tailer.files.count),
                    "windows_already_written": .stringConvertible(recovery.written.windows.count),
                ])
        } else if !recovery.written.isEmpty {
            telemetry.logger.info(
                "no checkpoint; windows the metric files already hold will not be written again",
                metadata: ["series": .stringConvertible(recovery.written.through.count)])
        }
        let timing = RunStateMachine.Timing(
            checkpointInterval: options.checkpointInterval, selfInterval: options.selfInterval,
            watchdogInterval: notifier.watchdogInterval)
        let now = clocks.monotonic()
        running = Running(
            machine: RunStateMachine(timing: timing, written: recovery.written, now: now), tailer: tailer,
            tail: MergedTail(
                schema: config.schema, limits: config.limits.records, windows: config.windows,
                wallClock: clocks.wall),
            aggregator: aggregator, output: output, store: store, lock: lock, lastStatusAt: now)
        try startEndpoint()
        watches = Watches(
            queue: queue, directories: config.followedGlobs.map(\.path).filter { $0 != "-" },
            options: options, telemetry: telemetry)
        watches?.install(
            round: { [weak self] scan in self?.round(scan: scan) }, reload: { [weak self] in self?.reload() },
            stop: { [weak self] sig in
                self?.telemetry.logger.info(
                    "stopping", metadata: ["signal": "\(sig == SIGTERM ? "SIGTERM" : "SIGINT")"])
                self?.stop()
            })
        queue.async {
            // Signal handlers and watches are in place: ready.
            self.notifier.send("READY=1\nSTATUS=" + self.statusText())
            self.telemetry.logger.info("ready", metadata: ["config": "\(self.config.file)"])
            self.round(scan: true)
        }
    }

    /// One round: what the state machine asks for — look at the files, read, close windows, write them,
    /// checkpoint, and the lifecycle chores.
    func round(scan: Bool) {
        // Taken out while the round runs, so that the aggregator's storage is changed in place, not copied.
        guard !stopRequested.isSet, var r = running else { return }
        running = nil
        defer { running = r }
        var closed: [WindowReport] = []
        var wrote = false
        for action in r.machine.roundStarted(scan: scan) {
            if action == .scanAndRead { r.tailer.scan() }
            // A new, renamed or closed file is recorded before anything else is read: a file rotated out of the
            // glob (by replacement) can then be found again by its identity after a crash.
            for _ in r.machine.filesLooked(generation: r.tailer.generation) { checkpoint(&r) }
            do {
                let stop = { self.stopRequested.isSet }
                let read = try r.tail.pump(
                    r.tailer, into: &r.aggregator, closed: &closed, stop: stop, every: options.closedPerStep
                ) { closed in
                    // Many windows closed: written while the merge goes on; reading pauses while the disk is full.
                    queueClosed(&closed, &r.machine, r.output)
                    if writePending(&r.machine, r.output) { wrote = true }
                    return !r.machine.isWaitingForDisk
                }
                if read { r.machine.read() }
            } catch {
                telemetry.logLimited(
                    .error, key: "read", "reading an input failed; will retry", metadata: ["error": "\(error)"])
            }
            r.tailer.closeFinished { r.aggregator.add($0, labels: $1, closed: &closed) }
            r.aggregator.closeIdle(into: &closed)
        }
        queueClosed(&closed, &r.machine, r.output)
        if writePending(&r.machine, r.output) { wrote = true }
        for action in r.machine.roundEnded(now: clocks.monotonic(), wroteWindows: wrote) { perform(action, &r) }
        // Ready once the first round scanned the inputs.
        publishEndpointState(r, ready: true)
    }

    func perform(_ action: RunStateMachine.Action, _ r: inout Running) {
        switch action {
        case .checkpoint: checkpoint(&r)
        case .notifyWatchdog: notifier.send("WATCHDOG=1")
        case .sendStatus:
            notifier.send("STATUS=" + statusText(&r))
        case .writeSelfLine:
            let line = MetricLineEncoder.selfLine(
                counters: telemetry.countersWithTotals, at: EventTime(nanoseconds: clocks.wall()),
                uptimeSeconds: Double(clocks.monotonic() - startedAt) / 1e9)
            do {
                try r.output.writer.append(line: line)
            } catch {
                telemetry.logLimited(
                    .error, key: "write", "cannot write the metric file; retrying", metadata: ["error": "\(error)"])
            }
        case .scanAndRead, .read, .writePending, .finish: break  // performed in `round` and `shutdown`
        }
    }

    /// Writes the pending windows in order; stops at the first failure and keeps the rest for the next round.
    /// Evaluates each closed window (once, when it closes; a window written before a crash is not notified again)
    /// and queues it for writing, in the order they closed.
    func queueClosed(_ closed: inout [WindowReport], _ machine: inout RunStateMachine, _ output: OutputStage) {
        for report in closed {
            let (already, notify) = machine.windowClosed(report.id)
            let alerts = output.evaluate(report, now: EventTime(nanoseconds: clocks.wall()), notify: notify)
            machine.queue(.init(report: report, alerts: alerts, alreadyWritten: already))
        }
        closed.removeAll()
    }

    func writePending(_ machine: inout RunStateMachine, _ output: OutputStage) -> Bool {
        var wrote = false
        while let next = machine.nextWrite {
            do {
                try output.write(next.report, alerts: next.alerts, alreadyWritten: next.alreadyWritten)
            } catch {
                telemetry.logLimited(
                    .error, key: "write", "cannot write the metric file; reading pauses, retrying",
                    metadata: ["error": "\(error)"])
                return wrote
            }
            machine.wroteNext()
            wrote = true
            telemetry.set("last_window_written_timestamp_seconds", Double(clocks.wall()) / 1e9)
        }
        return wrote
    }

    func checkpoint(_ r: inout Running) {
        // Rolling only here keeps every window written since the last checkpoint in the live file, where the
        // repair after a crash looks for them.
        do {
            try r.output.rollIfDue()
        } catch {
            telemetry.logLimited(
                .error, key: "roll", "cannot roll the metric file; will retry", metadata: ["error": "\(error)"])
        }
        let writer = r.output.writer
        writer.sync()
        do {
            try r.output.writeTextfile()
        } catch {
            telemetry.logLimited(
                .error, key: "textfile", "cannot write the Prometheus textfile; will retry",
                metadata: ["error": "\(error)"])
        }
        let generation = r.tailer.generation
        let written = r.machine.writtenWindows
        let checkpoint = Checkpoint(
            tailer: r.tailer.state, aggregator: r.aggregator.stateWithoutModels, metricsOffset: writer.size(),
            metricsInode: FileSystem.inode(of: writer.path), alerts: r.output.router.engine.savedStates,
            written: written.checkpointWritten, writtenThrough: written.checkpointThrough)
        do {
            let started = clocks.monotonic()
            let (store, aggregator) = (r.store, r.aggregator)
            try store.save(checkpoint, modelsOf: aggregator) {
                if r.machine.watchdogDue(now: clocks.monotonic()) { notifier.send("WATCHDOG=1") }
            }
            let now = clocks.monotonic()
            r.machine.checkpointed(now: now, generation: generation, took: now - started)
            CheckpointSaved(at: clocks.wall(), took: now - started).emit(to: telemetry)
        } catch {
            telemetry.logLimited(
                .error, key: "checkpoint", "cannot write the checkpoint; will retry",
                metadata: ["error": "\(error)"])
        }
    }

    /// One line for systemd's STATUS=: throughput and driftd's own counts.
    func statusText(_ r: inout Running) -> String {
        let now = clocks.monotonic()
        let seconds = max(1, Double(now - r.lastStatusAt) / 1e9)
        let rate = Int(Double(r.aggregator.records - r.recordsAtLastStatus) / seconds)
        (r.recordsAtLastStatus, r.lastStatusAt) = (r.aggregator.records, now)
        let c = telemetry.countersWithTotals
        return "\(r.aggregator.records) records (\(rate)/s), \(c["windows_emitted_total"] ?? 0) windows, "
            + "\(r.aggregator.rejected) rejected, \(c["window_late_records_total"] ?? 0) late, "
            + "\(c["hook_failures_total"] ?? 0) hook failures, \(r.tailer.followedPaths.count) files"
    }

    func statusText() -> String {
        guard var r = running else { return "starting" }
        running = nil
        defer { running = r }
        return statusText(&r)
    }

    func shutdown() {
        notifier.send("STOPPING=1")
        watches?.cancel()
        endpointState.withLock { $0.ready = false }
        telemetry.set("ready", 0)
        guard var r = running else {
            endpoint?.close()
            finished.signal()
            return
        }
        running = nil
        for action in r.machine.stopRequested() where action == .writePending { _ = writePending(&r.machine, r.output) }
        if case .finish(let checkpointFirst) = r.machine.stopWritten() {
            if checkpointFirst {
                checkpoint(&r)
            } else {
                telemetry.logger.error("stopping with windows not yet written; they are written after the restart")
            }
        }
        r.output.close(timeout: .seconds(2))
        // Served until the last window is written and checkpointed (a scrape then sees the final counts).
        endpoint?.close()
        telemetry.logger.info("stopped", metadata: ["records": .stringConvertible(r.aggregator.records)])
        running = r
        finished.signal()
    }
}
