import DriftAggregate
import DriftConfig
import DriftCore
import DriftEvaluate
import DriftStats
import DriftSystem
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

@testable import DriftPipeline

/// `run`'s decisions in-process, with the time passed in (the subprocess kill -9 tests stay beside these).
@Suite struct RunStateMachineTests {
    static let timing = RunStateMachine.Timing(
        checkpointInterval: .seconds(10), selfInterval: .seconds(60), watchdogInterval: .seconds(15))
    static let s: Int64 = 1_000_000_000

    static func report(_ minute: Int64, model: String = "m") -> WindowReport {
        WindowReport(
            model: model, window: "1m", start: EventTime(seconds: 1_795_687_200 + 60 * minute),
            end: EventTime(seconds: 1_795_687_260 + 60 * minute), records: 1, late: 0, rejected: 0, features: [])
    }

    @Test func windowsWaitingForTheDiskPauseReadingAndCheckpointsUntilTheyAreWrittenInOrder() {
        var m = RunStateMachine(timing: Self.timing, written: WrittenWindows(), now: 0)
        #expect(m.roundStarted(scan: true) == [.scanAndRead])
        m.read()
        for minute: Int64 in 0..<3 {
            let (already, notify) = m.windowClosed(Self.report(minute).id)
            #expect(!already && notify)
            m.queue(.init(report: Self.report(minute), alerts: [], alreadyWritten: false))
        }
        // The first write fails (the disk is full): nothing is written, reading and checkpoints wait.
        do {
            let actions = m.roundEnded(now: 20 * Self.s, wroteWindows: false)
            #expect(actions.contains(.checkpoint) == false)
        }
        #expect(m.roundStarted(scan: true).isEmpty, "no reading while windows wait")
        #expect(m.filesLooked(generation: 7).isEmpty, "no checkpoint for new files while windows wait")
        // The disk is back: they are written in the order they closed, then a checkpoint.
        var order: [EventTime] = []
        while let next = m.nextWrite {
            order.append(next.report.start)
            m.wroteNext()
        }
        #expect(order == (Int64(0)..<3).map { Self.report($0).start })
        do {
            let actions = m.roundEnded(now: 21 * Self.s, wroteWindows: true)
            #expect(actions.contains(.checkpoint))
        }
        m.checkpointed(now: 21 * Self.s, generation: 7)
        #expect(m.roundStarted(scan: false) == [.read])
    }

    @Test func aCheckpointFollowsNewFilesAndReadingAfterItsInterval() {
        var m = RunStateMachine(timing: Self.timing, written: WrittenWindows(), now: 0)
        #expect(m.filesLooked(generation: 1) == [.checkpoint], "a file opened: recorded before it is read")
        m.checkpointed(now: 0, generation: 1)
        #expect(m.filesLooked(generation: 1).isEmpty)
        do {
            let actions = m.roundEnded(now: 9 * Self.s, wroteWindows: false)
            #expect(!actions.contains(.checkpoint), "nothing read yet")
        }
        m.read()
        do {
            let actions = m.roundEnded(now: 9 * Self.s, wroteWindows: false)
            #expect(!actions.contains(.checkpoint), "before the interval")
        }
        do {
            let actions = m.roundEnded(now: 10 * Self.s, wroteWindows: false)
            #expect(actions.contains(.checkpoint))
        }
        m.checkpointed(now: 10 * Self.s, generation: 1)
        do {
            let actions = m.roundEnded(now: 30 * Self.s, wroteWindows: false)
            #expect(!actions.contains(.checkpoint), "idle: nothing new read")
        }
    }

    /// After a crash between a window's write and the next checkpoint, the window is recomputed but neither
    /// written nor notified again — and after a second crash the checkpoint still knows it.
    /// A checkpoint that took long to write (thousands of models' open windows) spaces the next: writing them takes
    /// at most a tenth of the time. Windows written meanwhile are checkpointed once the space has passed (the
    /// metric files already say they were written); a change of the followed files is checkpointed at once.
    @Test func aSlowCheckpointSpacesTheNextButNotOneForNewFiles() {
        var m = RunStateMachine(timing: Self.timing, written: WrittenWindows(), now: 0)
        m.checkpointed(now: 2 * Self.s, generation: 1, took: 2 * Self.s)
        m.read()
        m.queue(.init(report: Self.report(0), alerts: [], alreadyWritten: false))
        m.wroteNext()
        #expect(!m.roundEnded(now: 3 * Self.s, wroteWindows: true).contains(.checkpoint), "18 s after a 2 s one")
        #expect(!m.roundEnded(now: 19 * Self.s, wroteWindows: false).contains(.checkpoint))
        #expect(m.filesLooked(generation: 2) == [.checkpoint], "files changed: at once")
        m.checkpointed(now: 19 * Self.s, generation: 2, took: Self.s / 100)
        m.read()
        #expect(!m.roundEnded(now: 20 * Self.s, wroteWindows: false).contains(.checkpoint), "interval: 10 s")
        m.queue(.init(report: Self.report(1), alerts: [], alreadyWritten: false))
        m.wroteNext()
        #expect(m.roundEnded(now: 20 * Self.s, wroteWindows: true).contains(.checkpoint), "a quick one: no space")
        // Windows written during the space are checkpointed when it ends, with no new write in that round.
        m.checkpointed(now: 21 * Self.s, generation: 2, took: 3 * Self.s)
        m.queue(.init(report: Self.report(2), alerts: [], alreadyWritten: false))
        m.wroteNext()
        #expect(!m.roundEnded(now: 22 * Self.s, wroteWindows: true).contains(.checkpoint))
        #expect(!m.roundEnded(now: 47 * Self.s, wroteWindows: false).contains(.checkpoint))
        #expect(m.roundEnded(now: 48 * Self.s, wroteWindows: false).contains(.checkpoint), "21 + 27 s")
    }

    /// systemd's watchdog is pinged at its interval from the rounds, and from inside a checkpoint that takes longer
    /// (thousands of models): one taking longer than `WatchdogSec` would otherwise get the daemon killed, again
    /// after every restart.
    @Test func theWatchdogIsPingedFromRoundsAndFromInsideALongCheckpoint() {
        var m = RunStateMachine(timing: Self.timing, written: WrittenWindows(), now: 0)
        #expect(m.roundEnded(now: 0, wroteWindows: false).contains(.notifyWatchdog))
        // A checkpoint writes its pieces for 40 s (its progress is looked at every second).
        let pings = (Int64(1)...40).filter { m.watchdogDue(now: $0 * Self.s) }
        #expect(pings == [15, 30])
        #expect(!m.roundEnded(now: 41 * Self.s, wroteWindows: false).contains(.notifyWatchdog), "pinged at 30 s")
        #expect(m.roundEnded(now: 45 * Self.s, wroteWindows: false).contains(.notifyWatchdog))
        var off = RunStateMachine(
            timing: .init(checkpointInterval: .seconds(10), selfInterval: .seconds(60)), written: WrittenWindows(),
            now: 0)
        let due = off.watchdogDue(now: 100 * Self.s)
        #expect(!due, "no watchdog asked for: no ping")
    }

    @Test func aWindowTheMetricFilesHoldIsNeitherWrittenNorNotifiedAgain() {
        let written = WrittenWindows(windows: [Self.report(1).id])
        var m = RunStateMachine(timing: Self.timing, written: written, now: 0)
        #expect(m.writtenWindows.checkpointWritten == [Self.report(1).id.key], "carried by every checkpoint")
        let first = m.windowClosed(Self.report(0).id)
        let second = m.windowClosed(Self.report(1).id)
        let again = m.windowClosed(Self.report(1).id)
        #expect(first == (false, true))
        #expect(second == (true, false))
        #expect(again == (false, true), "a window closes once: forgotten after")
        #expect(m.writtenWindows.isEmpty)
    }

    /// Without a checkpoint, a series' windows up to the newest one the metric files hold are not written again;
    /// the first newer one ends that.
    @Test func writtenThroughCoversASeriesUpToItsNewestWindow() {
        var w = WrittenWindows(through: [Self.report(0).series: Self.report(5).start])
        let results = [3, 5].map { minute in w.closed(Self.report(Int64(minute)).id) }
        let other = w.closed(Self.report(0, model: "other").id)
        let newer = w.closed(Self.report(6).id)
        #expect(results == [true, true])
        #expect(!other, "another series")
        #expect(!newer)
        #expect(w.isEmpty)
        let older = w.closed(Self.report(2).id)
        #expect(!older, "gone once a newer window was written")
        let round = WrittenWindows(
            checkpointWritten: ["m\u{1F}1m\u{1F}2026-11-26T10:00:00Z", "garbage"],
            checkpointThrough: ["m\u{1F}1m": 5])
        #expect(round.windows == [Self.report(0).id])
        #expect(round.through == [Self.report(0).series: EventTime(nanoseconds: 5)])
    }

    @Test func choresComeAtTheirIntervalsAndTheSelfLineWaitsForTheDisk() {
        var m = RunStateMachine(timing: Self.timing, written: WrittenWindows(), now: 0)
        do {
            let actions = m.roundEnded(now: 1 * Self.s, wroteWindows: false)
            #expect(actions == [.notifyWatchdog], "the first round pings")
        }
        do {
            let actions = m.roundEnded(now: 5 * Self.s, wroteWindows: false)
            #expect(actions == [.sendStatus])
        }
        do {
            let actions = m.roundEnded(now: 16 * Self.s, wroteWindows: false)
            #expect(actions == [.notifyWatchdog, .sendStatus])
        }
        m.queue(.init(report: Self.report(0), alerts: [], alreadyWritten: false))
        do {
            let actions = m.roundEnded(now: 61 * Self.s, wroteWindows: false)
            #expect(!actions.contains(.writeSelfLine), "waits for the disk")
        }
        m.wroteNext()
        do {
            let actions = m.roundEnded(now: 62 * Self.s, wroteWindows: true)
            #expect(actions.contains(.writeSelfLine))
        }
    }

    @Test func stoppingWritesWhatWaitsAndCheckpointsOnlyWhenNothingWaitsAnyMore() {
        var m = RunStateMachine(timing: Self.timing, written: WrittenWindows(), now: 0)
        m.queue(.init(report: Self.report(0), alerts: [], alreadyWritten: false))
        let stop = m.stopRequested()
        let again = m.stopRequested()
        #expect(stop == [.writePending])
        #expect(again.isEmpty, "once")
        #expect(m.roundStarted(scan: true).isEmpty, "no reading while stopping")
        #expect(m.stopWritten() == .finish(checkpointFirst: false), "the window could not be written")
        m.wroteNext()
        #expect(m.stopWritten() == .finish(checkpointFirst: true))
    }

    @Test func aReloadTakesRulesAndInputsAndNamesWhatWaitsForARestart() throws {
        let current = try ConfigLoader.parse(yaml: "inputs: [{path: a}]\nwindows: [{size: 5m}]\n", file: "/x/d.yaml")
        let fresh = try ConfigLoader.parse(
            yaml: "inputs: [{path: b}]\nwindows: [{size: 1h}]\nstate_dir: /s\nlimits: {max_models: 5}\n"
                + "rules: [{alert: A, expr: \"psi > 0.2\"}]\n", file: "/x/d.yaml")
        let (applied, restart) = ConfigReload.apply(fresh, to: current)
        #expect(applied.inputs.map(\.path) == ["/x/b"])
        #expect(applied.rules.map(\.name) == ["A"])
        #expect(applied.windows == current.windows, "open windows of other sizes could not be continued")
        #expect(restart == ["windows", "state_dir", "limits"])
    }
}

@Suite struct CheckpointBytesTests {
    /// A Dictionary's order changes from process to process: checkpoints wrote the same state as different bytes.
    /// Keys are sorted, and dictionaries with other keys are written in key order.
    @Test func theSameStateGivesTheSameBytesWithOpenWindowsAndFeaturesInOrder() throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        var a = Aggregator(
            schema: .default, windows: [WindowSpec(size: .seconds(120), slide: .seconds(60))],
            telemetry: quietTelemetry(), clock: clock.read)
        var closed: [WindowReport] = []
        let lines = (0..<200).map { i in
            #"{"ts":\#(1_795_687_200 + i),"model":"m\#(i % 3)","features":{"f\#(i % 17)":\#(i),"c":"v\#(i % 5)"}}"#
        }
        a.add(lineBatch(lines), closed: &closed)
        let store = CheckpointStore(stateDirectory: dir.path, telemetry: quietTelemetry())
        let checkpoint = Checkpoint(
            tailer: .init(files: [], finished: []), aggregator: a.state, metricsOffset: 0,
            metricsInode: nil, alerts: [:])
        try store.save(checkpoint)
        let first = try readFile(store.path)
        let loaded = try #require(store.load())
        try store.save(loaded)
        #expect(try readFile(store.path) == first, "read and written again: the same bytes")
        let json = try #require(JSONSerialization.jsonObject(with: Data(first)) as? [String: Any])
        let models = ((json["aggregator"] as? [String: Any])?["models"] as? [[String: Any]]) ?? []
        #expect(models.count == 3)
        for model in models {
            let admitted = model["admitted"] as? [Int64] ?? []
            let ids = stride(from: 0, to: admitted.count, by: 2).map { admitted[$0] }
            #expect(ids == ids.sorted() && !ids.isEmpty)
            for spec in model["specs"] as? [[String: Any]] ?? [] {
                let open = spec["open"] as? [Any] ?? []
                let starts = stride(from: 0, to: open.count, by: 2).compactMap { open[$0] as? Int64 }
                #expect(starts == starts.sorted() && starts.count == open.count / 2 && !starts.isEmpty)
            }
        }
    }
}

@Suite struct StreamedCheckpointTests {
    /// The daemon encodes the models' open windows one model at a time and puts them in the shell's place: the
    /// bytes are those of the whole encoded at once, with a label join (whose state has a `models` member too) and
    /// names that spell the marker the splice looks for (escaped inside strings, so never taken for it).
    @Test(arguments: [0, 1, 40])
    func aCheckpointEncodedModelByModelIsTheWholeEncodedAtOnce(models: Int) throws {
        let clock = ManualClock()
        var a = Aggregator(
            schema: .default, windows: [WindowSpec(size: .seconds(60)), WindowSpec(size: .seconds(300))],
            telemetry: quietTelemetry(), clock: clock.read)
        a.joinLabels(maxDelay: .seconds(600), maxPending: 1_000)
        var closed: [WindowReport] = []
        let marker = #"\"models\":[],\"pendingRejected\":"#
        var names = Set<String>()
        let lines = (0..<(models * 30)).map { i in
            let model = i % 7 == 0 ? "m\(i % models) \(marker)" : "m\(i % models)"
            names.insert(model)
            return
                #"{"ts":\#(1_795_687_200 + i),"model":"\#(model)","request_id":"r\#(i)","prediction":0.\#(i % 10),"features":{"f\#(i % 5)":\#(i).25,"c":"v\#(i % 9)","\#(marker)":"\#(marker)"}}"#
        }
        a.add(lineBatch(lines), closed: &closed)
        let whole = Checkpoint(
            tailer: .init(files: [], finished: []), aggregator: a.state, metricsOffset: 7, metricsInode: nil,
            alerts: [:])
        var shell = whole
        shell.aggregator = a.stateWithoutModels
        let streamed = try CheckpointStore.encode(shell, modelsOf: a)
        #expect(streamed == (try CheckpointStore.encode(whole)))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(streamed)) as? [String: Any])
        let saved = ((json["aggregator"] as? [String: Any])?["models"] as? [Any]) ?? []
        #expect(saved.count == names.count && a.modelCount == names.count)
        // Saved to its file, with progress after every piece: at least once per model (the watchdog's chance).
        let dir = TemporaryDirectory()
        let store = CheckpointStore(stateDirectory: dir.path, telemetry: quietTelemetry())
        var pieces = 0
        try store.save(shell, modelsOf: a) { pieces += 1 }
        #expect(try readFile(store.path) == streamed)
        #expect(pieces >= names.count + 1, "\(pieces) pieces for \(names.count) models")
    }
}

@Suite struct AtomicFileTests {
    /// Written piece by piece, a file is the pieces in order; a failure half-way leaves the file as it was and no
    /// temporary file beside it.
    @Test func piecesMakeTheFileAndAFailureLeavesTheOldOne() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("state.json")
        try AtomicFile.write(to: path) { file throws(DriftError) in
            for piece in ["{", "\"a\":", "1", "}"] { try file.append(Array(piece.utf8)) }
        }
        #expect(String(decoding: try readFile(path), as: UTF8.self) == #"{"a":1}"#)
        #expect(throws: DriftError.self) {
            try AtomicFile.write(to: path) { file throws(DriftError) in
                try file.append(Array("{\"half\":".utf8))
                throw DriftError(.io, "the encoding failed")
            }
        }
        #expect(String(decoding: try readFile(path), as: UTF8.self) == #"{"a":1}"#)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["state.json"])
    }
}

@Suite struct DriftErrorCauseTests {
    @Test func aReferenceThatWillNotLoadKeepsItsCause() throws {
        let dir = TemporaryDirectory()
        try writeFile(dir.file("ref.json"), #"{"format": "whylogs"}"#)
        do {
            _ = try ReferenceFile.load(dir.file("ref.json"))
            Issue.record("a foreign file was loaded")
        } catch {
            #expect(error.code == .config, "a config problem: exit 2")
            #expect(error.cause is ProfileError)
            #expect(error.message.contains("is not a driftd reference profile"))
        }
    }
}

@Suite struct InjectedClocksTests {
    /// The clocks come from the top: a replay whose wall clock says 2026-11-20 takes records of the 26th for
    /// records from the future.
    @Test func replayReadsTheWallClockItIsGiven() throws {
        let dir = TemporaryDirectory()
        try writeFile(dir.file("in.jsonl"), #"{"ts":"2026-11-26T10:00:00Z","features":{"x":1}}"# + "\n")
        var config = DriftConfig(file: dir.file("d.yaml"))
        config.output.dir = dir.file("out")
        let early = Clocks(monotonic: { 0 }, wall: { EventTime(rfc3339: "2026-11-20T00:00:00Z")!.nanoseconds })
        let telemetry = quietTelemetry()
        let summary = try Replay(config: config, telemetry: telemetry, clocks: early).run(files: [dir.file("in.jsonl")])
        #expect(summary.records == 0 && summary.rejected == 1)
        #expect(telemetry.counter("records_rejected_total{reason=\"future\"}") == 1)
        let now = try Replay(config: config, telemetry: quietTelemetry()).run(files: [dir.file("in.jsonl")])
        #expect(now.records == 1)
    }
}
