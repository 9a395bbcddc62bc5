import DequeModule
import DriftAlerts
import DriftCore
import DriftStats

/// The decisions of `driftd run` (DESIGN §8), as a state machine in swift-nio's shape: it is told what happened,
/// with the time, and returns what to do; ``Daemon`` only runs Dispatch, inotify and signals and performs the
/// actions. Pure: no files, no clocks — so its exactly-once ordering is tested in-process with a manual clock.
///
/// The ordering it keeps: closed windows are written in the order they closed, and reading pauses while one
/// waits for the disk; no checkpoint is taken while one waits (a checkpoint must never run ahead of the metric
/// file); a checkpoint follows every write of windows, every change to the set of followed files (so a file
/// rotated out of the glob is found again by its identity after a crash), and a round with reading after
/// `checkpointInterval`; windows the metric files already hold are not written or notified again.
///
/// A checkpoint that took long to write (the open windows of thousands of models: 105 MB for 1,000) spaces the
/// next by nine times as long, so that checkpoints take at most a tenth of the time; windows written meanwhile
/// wait for it (after a crash they are read again, and the metric files say they were written). Only a change of
/// the followed files is checkpointed at once, whatever the space.
struct RunStateMachine {
    struct Timing: Equatable {
        var checkpointInterval: Span
        var selfInterval: Span
        var statusInterval: Span = .seconds(5)
        /// systemd's watchdog: half of `WATCHDOG_USEC`, or nil when not asked for.
        var watchdogInterval: Span?
    }

    /// A closed window waiting to be written, with the alert events its evaluation produced.
    struct Pending: Equatable {
        var report: WindowReport
        var alerts: [AlertEvent]
        /// The metric files already hold it: not written again.
        var alreadyWritten: Bool
    }

    enum Action: Equatable {
        /// Look at the file system (new files, renames), then read what the inputs hold and close idle windows.
        case scanAndRead
        /// Read without looking at the file system (inotify said only that files grew).
        case read
        /// Write the pending windows in order: ``nextWrite``, then ``wroteNext()`` after each success; a failure
        /// leaves the rest for the next round.
        case writePending
        /// Roll the metric file if due, sync it, write the textfile, save a checkpoint (then ``checkpointed``).
        case checkpoint
        case notifyWatchdog
        case sendStatus
        case writeSelfLine
        /// Stop: windows still pending stay for the restart (logged), hooks are closed, the process exits.
        case finish(checkpointFirst: Bool)
    }

    let timing: Timing
    private(set) var writtenWindows: WrittenWindows
    private(set) var pending = Deque<Pending>()
    private(set) var stopping = false
    private var lastCheckpoint: Int64
    /// No checkpoint for reading or written windows before this (see the type's comment).
    private var nextCheckpointAllowed: Int64
    private var readSinceCheckpoint = false
    private var wroteSinceCheckpoint = false
    private var checkpointedGeneration = -1
    private var lastWatchdog: Int64?
    private var lastStatus: Int64
    private var lastSelfLine: Int64

    init(timing: Timing, written: WrittenWindows, now: Int64) {
        self.timing = timing
        writtenWindows = written
        lastCheckpoint = now
        nextCheckpointAllowed = now
        lastStatus = now
        lastSelfLine = now
    }

    /// True while a closed window waits for the disk: reading pauses, checkpoints wait.
    var isWaitingForDisk: Bool { !pending.isEmpty }

    /// A round begins (a timer, or inotify after it gathered events).
    func roundStarted(scan: Bool) -> [Action] {
        guard !stopping else { return [] }
        // While windows wait for the disk, reading waits too: the windows in memory stay bounded.
        return isWaitingForDisk ? [] : [scan ? .scanAndRead : .read]
    }

    /// The followed files are now at `generation` (it changes when one is opened, renamed or closed).
    func filesLooked(generation: Int) -> [Action] {
        generation != checkpointedGeneration && !isWaitingForDisk ? [.checkpoint] : []
    }

    /// Records were read in this round.
    mutating func read() {
        readSinceCheckpoint = true
    }

    /// A window closed. Returns whether its alerts go to the hooks: not when the metric files already hold it
    /// (written before a crash, its notification sent then).
    mutating func windowClosed(_ id: WindowID) -> (alreadyWritten: Bool, notify: Bool) {
        let already = writtenWindows.closed(id)
        return (already, !already)
    }

    /// Queues a closed window (after its evaluation) for writing.
    mutating func queue(_ pending: Pending) {
        self.pending.append(pending)
    }

    /// The window to write next, if any.
    var nextWrite: Pending? { pending.first }

    /// The window ``nextWrite`` named is in the metric file (or was already).
    mutating func wroteNext() {
        _ = pending.popFirst()
    }

    /// A round ends after the reads and writes it asked for. `wroteWindows`: whether any window was written.
    mutating func roundEnded(now: Int64, wroteWindows: Bool) -> [Action] {
        var actions: [Action] = []
        if wroteWindows { wroteSinceCheckpoint = true }
        if !isWaitingForDisk, now >= nextCheckpointAllowed,
            wroteSinceCheckpoint
                || (readSinceCheckpoint && now - lastCheckpoint >= timing.checkpointInterval.nanoseconds)
        {
            actions.append(.checkpoint)
        }
        // The watchdog ping says the pipeline ran a round: a stuck one stops pinging and systemd restarts it.
        if watchdogDue(now: now) { actions.append(.notifyWatchdog) }
        if now - lastStatus >= timing.statusInterval.nanoseconds {
            actions.append(.sendStatus)
            lastStatus = now
        }
        if now - lastSelfLine >= timing.selfInterval.nanoseconds, !isWaitingForDisk {
            actions.append(.writeSelfLine)
            lastSelfLine = now
        }
        return actions
    }

    /// Whether to ping systemd's watchdog now (then it counts as pinged): at the end of a round, and while a long
    /// checkpoint is written, which is progress too (1,000 models' windows took 4.7-17 s here; without a ping
    /// systemd would kill a daemon whose checkpoint outlasts `WatchdogSec`, and it would do the same after the
    /// restart).
    mutating func watchdogDue(now: Int64) -> Bool {
        guard let interval = timing.watchdogInterval, lastWatchdog.map({ now - $0 >= interval.nanoseconds }) ?? true
        else { return false }
        lastWatchdog = now
        return true
    }

    /// A checkpoint was saved (after a ``Action/checkpoint``), in `took` nanoseconds.
    mutating func checkpointed(now: Int64, generation: Int, took: Int64 = 0) {
        lastCheckpoint = now
        nextCheckpointAllowed = now + 9 * max(0, took)
        readSinceCheckpoint = false
        wroteSinceCheckpoint = false
        checkpointedGeneration = generation
    }

    /// SIGTERM or SIGINT: reading stops; the pending windows get one more try (``Action/writePending``), then
    /// ``stopWritten()`` says whether to checkpoint.
    mutating func stopRequested() -> [Action] {
        guard !stopping else { return [] }
        stopping = true
        return [.writePending]
    }

    /// After the last try at the pending windows: a checkpoint only when none waits (a checkpoint past windows not
    /// yet written would lose them after the restart).
    func stopWritten() -> Action {
        .finish(checkpointFirst: !isWaitingForDisk)
    }
}
