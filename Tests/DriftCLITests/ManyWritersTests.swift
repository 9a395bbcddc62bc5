import DriftTestSupport
import Foundation
import Testing

/// Several writer processes of one model, one file each, rotated by rename, their clocks up to 3.4 s apart
/// (below the 5 s allowed lateness): `replay`, a fresh `run` over the finished files, and `run` following them live
/// through repeated SIGKILLs all give the window counts the files themselves hold, counted here with the zstd tool
/// and Foundation's JSON parser, with no record late and no window twice (DESIGN §2: many files are merged by
/// event time). `scripts/kill9_soak.py --writers 8` runs the live scenario at length, `Benchmarks/many_writers.py`
/// replays 8 writers x 1M records.
@Suite(.serialized) struct ManyWritersTests {
    let dir = TemporaryDirectory("driftd-writers")
    let driftd = driftdExecutable()
    let python = "/usr/bin/python3"
    /// Each writer's clock offset, seconds.
    static let skews = [0.0, 2.1, -1.3, 0.7]

    func config(idleTimeout: String = "2s") throws -> String {
        let path = dir.file("driftd.yaml")
        try writeFile(
            path,
            """
            inputs: [{path: "logs/w*.jsonl.zst*"}]
            windows: [{size: 10s, allowed_lateness: 5s, idle_timeout: \(idleTimeout)}]
            output: {dir: run-metrics, keep: 1000}
            state_dir: state
            """)
        return path
    }

    /// Starts the four writers (the docs' Python example): 100 records per second of event time each, rotated every
    /// `rotate` lines; the last writer stops after a third of the records (a worker that died).
    func startWriters(records: Int, rotate: Int, pace: Int?) throws -> [Process] {
        try #require(try runProcess(python, ["-c", "import zstandard"]).status == 0, "run scripts/setup")
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        return try Self.skews.enumerated().map { i, skew in
            try startProcess(
                python,
                [
                    packageRoot() + "/Deploy/writers/zstd_writer.py", "--output", dir.file("logs/w\(i).jsonl.zst"),
                    "--records", "\(i == 3 ? records / 3 : records)", "--rotate-lines", "\(rotate)", "--rate", "100",
                    "--seed", "\(i + 1)", "--skew", "\(skew)",
                ] + (pace.map { ["--pace", "\($0)"] } ?? []))
        }
    }

    /// Records per 10 s window start (epoch seconds), counted from the files with `zstd -dc` and JSONSerialization.
    func countsInFiles() throws -> [Int: Int] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var counts: [Int: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.file("logs"))
        where try FileManager.default.attributesOfItem(atPath: dir.file("logs/\(name)"))[.size] as! Int > 0 {
            // (An empty file, opened after the last rotation, holds nothing; the zstd tool calls it truncated.)
            let decoded = try runProcess(zstdCLI(), ["-dcq", dir.file("logs/\(name)")])
            #expect(decoded.status == 0, "\(name): \(decoded.stderr)")
            for line in splitLines(decoded.stdout) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let date = try #require(formatter.date(from: object["ts"] as! String))
                let seconds = Int(date.timeIntervalSince1970.rounded(.down))
                counts[seconds - seconds % 10, default: 0] += 1
            }
        }
        return counts
    }

    /// Window start (epoch seconds) → (records, late), from the window lines of the metric files in `directory`;
    /// a window written twice fails the test.
    func windowsWritten(_ directory: String) throws -> [Int: (records: Int, late: Int)] {
        let formatter = ISO8601DateFormatter()
        var result: [Int: (records: Int, late: Int)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            for line in splitLines(try readFile(directory + "/" + name)) where line.contains(#""kind":"window""#) {
                let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let start = Int(try #require(formatter.date(from: o["window_start"] as! String)).timeIntervalSince1970)
                #expect(result[start] == nil, "window \(o["window_start"]!) written twice")
                result[start] = (o["records"] as! Int, o["late"] as! Int)
            }
        }
        return result
    }

    func expectSame(_ written: [Int: (records: Int, late: Int)], _ expected: [Int: Int], _ what: String) {
        #expect(written.values.reduce(0) { $0 + $1.late } == 0, "\(what): records counted late")
        #expect(written.count == expected.count, "\(what): \(written.count) windows, the files span \(expected.count)")
        for (start, count) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(written[start]?.records == count, "\(what): window at \(start)")
        }
    }

    func checkpointedRecords() -> Int { DriftTestSupport.checkpointedRecords(in: dir.file("state")) }

    /// Runs `driftd run` until `done` holds (60 s at most), then stops it with SIGTERM; returns whether it held.
    func runUntil(config: String, _ done: () -> Bool) throws -> Bool {
        let run = try startProcess(driftd, ["run", "--config", config], stderr: dir.file("run.log"))
        let held = waitFor(60, done)
        #expect(stopProcess(run) == 0)
        return held
    }

    /// The run's checkpoint holds `total` records, and its metric files `windows` windows.
    func caughtUp(total: Int, windows: Int) -> Bool {
        checkpointedRecords() == total && ((try? windowsWritten(dir.file("run-metrics")).count) ?? 0) == windows
    }

    @Test func replayAndAFreshRunOverFinishedFilesCountEveryRecord() throws {
        let writers = try startWriters(records: 6000, rotate: 1500, pace: nil)
        #expect(writers.map { exitStatus(of: $0, within: 120) }.allSatisfy { $0 == 0 })
        let expected = try countsInFiles()
        let total = expected.values.reduce(0, +)
        #expect(total == 3 * 6000 + 2000)
        let configPath = try config()

        let replay = try runProcess(
            driftd, ["replay", "--config", configPath, "--output-dir", dir.file("replay-metrics")])
        #expect(replay.status == 0, "\(replay.stderr)")
        expectSame(try windowsWritten(dir.file("replay-metrics")), expected, "replay")

        // A first run catches up on the files already there, then the 2 s idle timeout closes the last windows.
        let caughtUp = try runUntil(config: configPath) { self.caughtUp(total: total, windows: expected.count) }
        #expect(caughtUp, "run: \(checkpointedRecords()) of \(total) records")
        expectSame(try windowsWritten(dir.file("run-metrics")), expected, "run")
    }

    @Test func runFollowingLiveWritersThroughSIGKILLsCountsEveryRecordOnce() throws {
        let writers = try startWriters(records: 4000, rotate: 700, pace: 800)
        let configPath = try config()
        var rng = SeededGenerator(seed: 14)
        var kills = 0
        while writers.contains(where: \.isRunning) || kills < 3 {
            let run = try startProcess(driftd, ["run", "--config", configPath], stderr: dir.file("run.log"))
            usleep(UInt32(200_000 + rng.unit() * 600_000))
            _ = stopProcess(run, signal: SIGKILL)
            kills += 1
        }
        #expect(writers.allSatisfy { $0.terminationStatus == 0 })
        let expected = try countsInFiles()
        let total = expected.values.reduce(0, +)
        let caughtUp = try runUntil(config: configPath) { self.caughtUp(total: total, windows: expected.count) }
        #expect(caughtUp, "run: \(checkpointedRecords()) of \(total) records after \(kills) kills")
        #expect(kills >= 3)
        expectSame(try windowsWritten(dir.file("run-metrics")), expected, "run with \(kills) SIGKILLs")
    }

    /// A writer that stopped (its worker died) holds no window open in `run`: with an idle timeout of an hour, the
    /// other writer's records close every window up to its own watermark, and the stopped file's last window too.
    @Test func aWriterThatStoppedHoldsNoWindowOpen() throws {
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        func lines(_ seconds: StrideThrough<Double>, _ writer: String) -> String {
            seconds.map { s in
                let t = Date(timeIntervalSince1970: 1_795_651_200 + s)
                return #"{"ts":\#(t.timeIntervalSince1970),"model":"m","features":{"w":"\#(writer)"}}"# + "\n"
            }.joined()
        }
        try writeFile(dir.file("logs/w0.jsonl"), lines(stride(from: 0, through: 50, by: 0.5), "dead"))
        try writeFile(dir.file("logs/w1.jsonl"), lines(stride(from: 0.25, through: 200, by: 0.5), "alive"))
        let path = dir.file("driftd.yaml")
        try writeFile(
            path,
            """
            inputs: [{path: "logs/w*.jsonl"}]
            windows: [{size: 10s, allowed_lateness: 5s, idle_timeout: 1h}]
            output: {dir: run-metrics}
            state_dir: state
            """)
        // 200 s less 5 s of lateness: the windows through [180, 190) close; [190, 200) waits for more.
        let closed = try runUntil(config: path) { ((try? windowsWritten(dir.file("run-metrics")).count) ?? 0) >= 19 }
        #expect(closed)
        let written = try windowsWritten(dir.file("run-metrics"))
        #expect(written.count == 19)
        #expect(written.values.allSatisfy { $0.late == 0 })
        let first = 1_795_651_200
        #expect(written[first]?.records == 40, "both writers: 20 records each")
        #expect(written[first + 50]?.records == 21, "the dead writer's last record, at 50 s, and the other's 20")
        #expect(written[first + 180]?.records == 20)
    }
}
