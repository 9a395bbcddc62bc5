import DriftCore
import DriftTestSupport
import Foundation
import Testing

/// `driftd run` against a live writer that rotates by rename, killed with SIGKILL at random moments and
/// restarted: every window it writes equals `driftd replay`'s over the same files, and none is written twice.
/// Rotation by rename to names matching the glob, and by atomic replacement of the live file.
/// (scripts/kill9_soak.py runs the same scenario for longer.)
@Suite(.serialized) struct RunCrashTests {
    let dir = TemporaryDirectory("driftd-run")
    let driftd = driftdExecutable()

    static let tenSeconds = "{size: 10s, allowed_lateness: 5s, idle_timeout: 1h}"

    func config(
        glob: String = "logs/app.jsonl.zst*", maxBytes: String = "64KiB", windows: String = tenSeconds
    ) throws -> String {
        let path = dir.file("driftd.yaml")
        try writeFile(
            path,
            """
            inputs: [{path: "\(glob)"}]
            windows: [\(windows)]
            output: {dir: run-metrics, max_bytes: \(maxBytes), keep: 1000}
            state_dir: state
            """)
        return path
    }

    func start(_ args: [String]) throws -> Process {
        try startProcess(driftd, args, stderr: dir.file("run.log"))
    }

    /// Records the last checkpoint says were processed.
    func checkpointedRecords() -> Int { DriftTestSupport.checkpointedRecords(in: dir.file("state")) }

    /// The checkpoint file's modification time (nil before the first).
    func checkpointTime() -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: dir.file("state/checkpoint.json")))?[.modificationDate]
            as? Date
    }

    /// Window key → its lines (feature lines and the window line), as written: from one metric file, or from a
    /// directory's files in the order they were written (the live file rolls).
    static func windows(_ path: String) throws -> [String: [String]] {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let files =
            isDirectory.boolValue
            ? try FileManager.default.contentsOfDirectory(atPath: path).map { path + "/" + $0 }
                .sorted { a, b in
                    let ma = try! FileManager.default.attributesOfItem(atPath: a)[.modificationDate] as! Date
                    let mb = try! FileManager.default.attributesOfItem(atPath: b)[.modificationDate] as! Date
                    return ma != mb ? ma < mb : (a.hasSuffix("metrics.jsonl") ? false : a < b)
                }
            : [path]
        var result: [String: [String]] = [:]
        var pending: [String] = []
        for line in try files.flatMap({ splitLines(try readFile($0)) }) where !line.contains(#""kind":"self""#) {
            pending.append(line)
            guard line.contains(#""kind":"window""#) else { continue }
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let key = "\(o["model"]!) \(o["window"]!) \(o["window_start"]!)"
            #expect(result[key] == nil, "window \(key) written twice")
            result[key] = pending
            pending = []
        }
        #expect(pending.isEmpty, "lines after the last window line")
        return result
    }

    @Test(arguments: ["rename", "replace"])
    func killNineAtRandomMomentsLosesAndDuplicatesNothing(rotation: String) throws {
        _ = FileManager.default.createFile(atPath: dir.file("run.log"), contents: nil)
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        // 30 s windows made of the 10 s ones: a kill also finds 10 s windows not yet merged into their 30 s one.
        let configPath = try config(windows: Self.tenSeconds + ", {size: 30s, allowed_lateness: 5s, idle_timeout: 1h}")
        let records = 30_000
        let writer = try start([
            "generate", "--output", dir.file("logs/app.jsonl.zst"), "--records", "\(records)", "--rate", "400",
            "--pace", "8000", "--rotate-every", "5000", "--frame-lines", "300", "--flush-every", "8",
            "--models", "a,b", "--seed", "9", "--rotate-mode", rotation,
        ])
        var rng = SeededGenerator(seed: 77)
        var kills = 0
        while writer.isRunning || kills < 3 {
            let run = try start(["run", "--config", configPath])
            usleep(UInt32(100_000 + rng.unit() * 500_000))
            _ = stopProcess(run, signal: SIGKILL)
            kills += 1
        }
        #expect(writer.terminationStatus == 0)
        #expect(kills >= 5)
        // A last run catches up (a checkpoint of its own says so), then stops on SIGTERM.
        let before = checkpointTime()
        let last = try start(["run", "--config", configPath])
        let deadline = Date().addingTimeInterval(30)
        while (checkpointTime() == before || checkpointedRecords() < records) && Date() < deadline { usleep(100_000) }
        #expect(checkpointedRecords() == records, "every record processed exactly once (\(kills) kills)")
        let stopAsked = Date()
        #expect(stopProcess(last) == 0)
        #expect(Date().timeIntervalSince(stopAsked) < 5)

        let replay = try runProcess(
            driftd,
            ["replay", "--config", configPath, "--output-dir", dir.file("replay-metrics")]
                + (try FileManager.default.contentsOfDirectory(atPath: dir.file("logs")).map { dir.file("logs/\($0)") })
        )
        #expect(replay.status == 0, "\(replay.stderr)")
        let ran = try Self.windows(dir.file("run-metrics"))
        let rolled = try FileManager.default.contentsOfDirectory(atPath: dir.file("run-metrics")).count
        #expect(rolled > 1, "the metric file rolled while the daemon was being killed")
        let expected = try Self.windows(dir.file("replay-metrics"))
        // 30,000 records at 400/s are 75 s of event time: eight 10 s windows per model, the last still open in run.
        #expect(ran.count >= 12, "\(ran.count) windows written by run")
        for (key, lines) in ran {
            #expect(lines == expected[key], "window \(key) differs from replay's")
        }
        // And none is missing: every window that the per-model watermark (newest event time − 5 s) has passed is in
        // run's output, as replay closed it.
        var newestTime: [String: EventTime] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.file("logs")) {
            let text = try runProcess(zstdCLI(), ["-dcq", dir.file("logs/\(name)")]).stdout
            for line in splitLines(text) where !line.isEmpty {
                let o = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let t = try #require((o["ts"] as? String).flatMap(EventTime.init(rfc3339:)), "\(line)")
                let model = o["model"] as! String
                newestTime[model] = max(newestTime[model] ?? t, t)
            }
        }
        var closedByWatermark = 0
        for (key, lines) in expected {
            let o = try #require(JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
            let end = try #require((o["window_end"] as? String).flatMap(EventTime.init(rfc3339:)))
            let watermark = newestTime[o["model"] as! String]!.nanoseconds - 5_000_000_000
            guard end.nanoseconds <= watermark else { continue }
            closedByWatermark += 1
            #expect(
                ran[key] != nil, "window \(key) closed by the watermark is missing from run's output (\(kills) kills)")
        }
        #expect(closedByWatermark >= 12)
    }

    /// One record per second of event time for model `m`, as JSON lines.
    func records(_ seconds: ClosedRange<Int>) -> String {
        seconds.map { #"{"ts":\#(1_795_651_200 + $0),"model":"m","features":{"x":\#($0)}}"# + "\n" }.joined()
    }

    func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    /// Runs `driftd run` until its checkpoint holds `records` records, then stops it with SIGTERM.
    func runUntil(records: Int, config: String) throws {
        let before = checkpointTime()
        let run = try start(["run", "--config", config])
        let deadline = Date().addingTimeInterval(20)
        while (checkpointTime() == before || checkpointedRecords() < records) && Date() < deadline { usleep(50_000) }
        #expect(stopProcess(run) == 0)
        #expect(checkpointedRecords() == records)
    }

    /// A crash after a window's lines were written but before the checkpoint that follows: the restarted run
    /// recomputes the window and must not write it again.
    /// With 1 KiB files the metric file also rolls at the checkpoint after the window: the crash then falls between
    /// the roll and that checkpoint, and the window sits in the rolled file.
    @Test(arguments: ["64KiB", "1KiB"])
    func aWindowWrittenJustBeforeACrashIsNotWrittenAgain(maxBytes: String) throws {
        _ = FileManager.default.createFile(atPath: dir.file("run.log"), contents: nil)
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        let configPath = try config(glob: "logs/*.jsonl", maxBytes: maxBytes)
        let log = dir.file("logs/app.jsonl")
        try writeFile(log, records(0...24))  // windows [0,10) and [10,20) close; [20,30) stays open
        try runUntil(records: 25, config: configPath)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.file("run-metrics"))
        #expect(before.contains("metrics.jsonl"))
        try FileManager.default.copyItem(
            atPath: dir.file("state/checkpoint.json"), toPath: dir.file("checkpoint-1.json"))
        try append(records(25...40), to: log)  // closes [20,30)
        try runUntil(records: 41, config: configPath)
        let written = try Self.windows(dir.file("run-metrics"))
        #expect(written.count == 3)
        if maxBytes == "1KiB" {
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: dir.file("run-metrics")).count > before.count,
                "the file rolled after the windows the crash will forget")
        }
        // Back to the checkpoint from before [20,30) was written, as if the process died right after writing it.
        try FileManager.default.removeItem(atPath: dir.file("state/checkpoint.json"))
        try FileManager.default.copyItem(
            atPath: dir.file("checkpoint-1.json"), toPath: dir.file("state/checkpoint.json"))
        try runUntil(records: 41, config: configPath)
        let after = try Self.windows(dir.file("run-metrics"))  // fails on a window written twice
        #expect(after == written)
    }

    /// The same crash, then a second one: the restarted run checkpoints (its first checkpoint comes before it
    /// reads) while [20,30) — already in the metric file — is open again, and dies before the window closes.
    /// That checkpoint's metric offset lies past the window's lines, so only the checkpoint itself can say the
    /// window is written (CI found this as a window written twice under kill -9).
    @Test(arguments: ["64KiB", "1KiB"])
    func aSecondCrashBeforeTheWindowClosesAgainDoesNotForgetIt(maxBytes: String) throws {
        _ = FileManager.default.createFile(atPath: dir.file("run.log"), contents: nil)
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        let configPath = try config(glob: "logs/*.jsonl", maxBytes: maxBytes)
        let log = dir.file("logs/app.jsonl")
        try writeFile(log, records(0...24))
        try runUntil(records: 25, config: configPath)
        try FileManager.default.copyItem(
            atPath: dir.file("state/checkpoint.json"), toPath: dir.file("checkpoint-1.json"))
        try append(records(25...40), to: log)  // closes [20,30)
        try runUntil(records: 41, config: configPath)
        let written = try Self.windows(dir.file("run-metrics"))
        #expect(written.count == 3)
        // First crash: back to the checkpoint from before [20,30) was written. The log is cut back to what that
        // checkpoint had read, so the next run cannot close the window again before it checkpoints and stops.
        try FileManager.default.removeItem(atPath: dir.file("state/checkpoint.json"))
        try FileManager.default.copyItem(
            atPath: dir.file("checkpoint-1.json"), toPath: dir.file("state/checkpoint.json"))
        truncate(log, off_t(records(0...24).utf8.count))
        try runUntil(records: 25, config: configPath)
        // The log grows again with the same records: [20,30) closes again and must not be written a second time.
        try append(records(25...40), to: log)
        try runUntil(records: 41, config: configPath)
        let after = try Self.windows(dir.file("run-metrics"))  // fails on a window written twice
        #expect(after == written)
    }

    @Test func aCorruptCheckpointIsLoggedAndTheRunStartsAfresh() throws {
        _ = FileManager.default.createFile(atPath: dir.file("run.log"), contents: nil)
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("state"), withIntermediateDirectories: true)
        let configPath = try config(glob: "logs/*.jsonl")
        try writeFile(dir.file("logs/a.jsonl"), #"{"ts":1795651200,"features":{"x":1}}"# + "\n")
        try writeFile(dir.file("state/checkpoint.json"), "{\"format\": \"driftd-checkpoint\", \"version\": 1, \"tail")
        try runUntil(records: 1, config: configPath)
        let log = String(decoding: try readFile(dir.file("run.log")), as: UTF8.self)
        #expect(log.contains("checkpoint is unusable; moved aside"))
        #expect(log.contains("corrupt or from another version"))
    }

    /// The writer example of docs/writer-guide.md (Python, zstandard) followed live by `driftd run`.
    @Test func thePythonWriterExampleIsFollowedLive() throws {
        _ = FileManager.default.createFile(atPath: dir.file("run.log"), contents: nil)
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        let python = "/usr/bin/python3"
        let check = try runProcess(python, ["-c", "import zstandard"])
        try #require(check.status == 0, "Debian's python3-zstandard is missing: run scripts/setup")
        let configPath = try config()
        let run = try start(["run", "--config", configPath])
        let writer = try runProcess(
            python,
            [
                packageRoot() + "/Deploy/writers/zstd_writer.py", "--output", dir.file("logs/app.jsonl.zst"),
                "--records", "5000", "--rotate-lines", "1500", "--rate", "100", "--pace", "2500",
            ])
        #expect(writer.status == 0, "\(writer.stderr)")
        let deadline = Date().addingTimeInterval(30)
        while checkpointedRecords() < 5000 && Date() < deadline { usleep(100_000) }  // the writer ran meanwhile
        #expect(stopProcess(run) == 0)
        #expect(checkpointedRecords() == 5000)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.file("logs")).map { dir.file("logs/\($0)") }
        #expect(files.count == 4, "three rotations")
        let replay = try runProcess(
            driftd, ["replay", "--config", configPath, "--output-dir", dir.file("replay-metrics")] + files)
        #expect(replay.status == 0)
        let ran = try Self.windows(dir.file("run-metrics"))
        let expected = try Self.windows(dir.file("replay-metrics"))
        #expect(ran.count >= 4)
        for (key, lines) in ran { #expect(lines == expected[key], "window \(key)") }
    }
}
