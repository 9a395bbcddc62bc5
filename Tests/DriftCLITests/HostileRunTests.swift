import DriftTestSupport
import Foundation
import Testing

/// `driftd run` as released, against what the adversarial test of issue "hostile input" found: each scenario took
/// the daemon down, blinded it, stalled it or made it write a window twice.
@Suite(.serialized) struct HostileRunTests {
    let dir = TemporaryDirectory("driftd-hostile")
    let driftd = driftdExecutable()

    /// Ten-second windows from 2026-11-26T10:00:00Z, closed by the watermark.
    static func line(_ second: Int, _ x: Int, model: String = "m") -> String {
        #"{"ts":\#(1_795_687_200 + second),"model":"\#(model)","features":{"x":\#(x)}}"#
    }

    func setUp(extra: String = "", glob: String = "logs/*.jsonl") throws -> String {
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        let config = dir.file("driftd.yaml")
        try writeFile(
            config,
            """
            inputs: [{path: "\(glob)"}]
            windows: [{size: 10s, allowed_lateness: 0s, idle_timeout: 1h}]
            output: {dir: out}
            state_dir: state
            \(extra)
            """)
        _ = FileManager.default.createFile(atPath: dir.file("run.log"), contents: nil)
        return config
    }

    func start(_ config: String, log: String = "run.log") throws -> Process {
        try startProcess(driftd, ["run", "--config", config], stderr: dir.file(log))
    }

    func stop(_ run: Process) -> Int32 {
        stopProcess(run)
    }

    func log(_ name: String = "run.log") -> String {
        String(decoding: (try? readFile(dir.file(name))) ?? [], as: UTF8.self)
    }

    /// Window lines of the metric files, as (start, records).
    func windows() throws -> [(start: String, records: Int)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.file("out")).filter {
            $0.hasSuffix(".jsonl")
        }
        return try files.flatMap { splitLines(try readFile(dir.file("out/" + $0))) }.compactMap { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            guard o["kind"] as? String == "window" else { return nil }
            return (o["window_start"] as! String, o["records"] as! Int)
        }.sorted { $0.start < $1.start }
    }

    /// `{"ts":{}}` killed run, and run re-read the same line after each restart (exit 132, three times of three):
    /// the good windows before it were never written.
    @Test func aTimestampThatIsAnObjectIsRejectedAndTheWindowsAroundItAreWritten() throws {
        let config = try setUp()
        let lines =
            (0..<20).map { Self.line($0, $0) } + [
                #"{"ts":{},"features":{"x":1}}"#, #"{"ts":[1]}"#,
                #"{"ts":"0001-01-01T00:00:00Z"}"#, #"{"ts":9223372036854775000}"#, #"{"ts":"2262-04-11T23:47:16Z"}"#,
            ]
            + (20..<30).map { Self.line($0, $0) }
        try writeFile(dir.file("logs/a.jsonl"), lines.joined(separator: "\n") + "\n")
        let run = try start(config)
        #expect(waitFor(15) { checkpointedRecords(in: dir.file("state")) == 30 }, "\(log())")
        #expect(run.isRunning)
        #expect(stop(run) == 0)
        let w = try windows()
        #expect(w.map(\.records) == [10, 10], "[0,10) and [10,20) closed; [20,30) stays open")
        #expect(log().contains("an object is neither RFC 3339"))
        #expect(log().contains("outside the years 1678–2261"))
    }

    /// "é" composed (U+00E9) and decomposed ("e" + U+0301) are different bytes but equal Strings. A category
    /// seen both ways made run trap at its first checkpoint, and again after every restart: the checkpoint wrote
    /// the top values as a dictionary keyed by String. The same holds for feature and model names.
    @Test func valuesEqualAsStringsButSpelledApartAreCheckpointed() throws {
        let config = try setUp()
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        let lines = (0..<30).map { i -> String in
            let spelled = i % 2 == 0 ? composed : decomposed
            let extra = #","\#(spelled)":\#(i)"#
            return
                #"{"ts":\#(1_795_687_200 + i),"model":"\#(spelled)","features":{"x":\#(i),"city":"\#(spelled)"\#(extra)}}"#
        }
        try writeFile(dir.file("logs/a.jsonl"), lines.joined(separator: "\n") + "\n")
        let run = try start(config)
        #expect(waitFor(15) { checkpointedRecords(in: dir.file("state")) == 30 }, "\(log())")
        #expect(run.isRunning, "\(log())")
        #expect(stop(run) == 0)
        // Restarted from that checkpoint, it continues.
        let again = try start(config, log: "again.log")
        #expect(waitFor(15) { log("again.log").contains("resuming from checkpoint") }, "\(log("again.log"))")
        #expect(!log("again.log").contains("unusable"), "\(log("again.log"))")
        #expect(again.isRunning, "\(log("again.log"))")
        #expect(stop(again) == 0)
        let w = try windows()
        // Model and feature names spelled both ways are one name; [20,30) stays open.
        #expect(w.map(\.records) == [10, 10], "[0,10) and [10,20) closed: \(w)")
    }

    /// One record dated 2099 made every later record of its model late, until 2099.
    @Test func aRecordFromTheFutureIsRejectedAndBlindsNothing() throws {
        let config = try setUp()
        let lines =
            (0..<5).map { Self.line($0, $0) } + [#"{"ts":"2099-01-01T00:00:00Z","model":"m","features":{"x":1}}"#]
            + (5..<25).map { Self.line($0, $0) }
        try writeFile(dir.file("logs/a.jsonl"), lines.joined(separator: "\n") + "\n")
        let run = try start(config)
        #expect(waitFor(15) { checkpointedRecords(in: dir.file("state")) == 25 }, "\(log())")
        #expect(stop(run) == 0)
        #expect(try windows().map(\.records) == [10, 10])
        #expect(log().contains("reason=future") || log().contains("further ahead of the clock"), "\(log())")
    }

    /// A second daemon on one state_dir wrote everything a second time.
    @Test func aSecondDaemonOnTheSameStateDirectoryExitsWithAClearMessage() throws {
        let config = try setUp()
        try writeFile(dir.file("logs/a.jsonl"), (0..<15).map { Self.line($0, $0) }.joined(separator: "\n") + "\n")
        let first = try start(config)
        #expect(waitFor(15) { checkpointedRecords(in: dir.file("state")) == 15 })
        let second = try start(config, log: "second.log")
        #expect(exitStatus(of: second) > 0)
        #expect(
            log("second.log").contains("another driftd (pid \(first.processIdentifier)) is running with state_dir"),
            "\(log("second.log"))")
        #expect(stop(first) == 0)
        #expect(try windows().count == 1)
    }

    /// A missing, empty or corrupt checkpoint made run write every window already in the metric file again; a
    /// hostile one (KLL k 0) crashed it.
    @Test(arguments: ["missing", "empty", "corrupt", "hostile"])
    func aLostCheckpointWritesNoWindowTwice(how: String) throws {
        let config = try setUp()
        try writeFile(dir.file("logs/a.jsonl"), (0..<35).map { Self.line($0, $0) }.joined(separator: "\n") + "\n")
        let run = try start(config)
        #expect(waitFor(15) { checkpointedRecords(in: dir.file("state")) == 35 })
        #expect(stop(run) == 0)
        #expect(try windows().map(\.records) == [10, 10, 10])
        let checkpoint = dir.file("state/checkpoint.json")
        switch how {
        case "missing": try FileManager.default.removeItem(atPath: checkpoint)
        case "empty": try writeFile(checkpoint, "")
        case "corrupt": try writeFile(checkpoint, #"{"format":"driftd-checkpoint","version":1,"tailer":"#)
        default:
            var text = String(decoding: try readFile(checkpoint), as: UTF8.self)
            let k = try #require(text.range(of: #""k":"#))
            let digits = text[k.upperBound...].prefix { $0.isNumber }
            text.replaceSubrange(k.upperBound..<text.index(k.upperBound, offsetBy: digits.count), with: "0")
            try writeFile(checkpoint, text)
        }
        try writeFile(dir.file("logs/a.jsonl"), (0..<45).map { Self.line($0, $0) }.joined(separator: "\n") + "\n")
        let again = try start(config, log: "again.log")
        #expect(waitFor(15) { (try? windows().count) == 4 }, "\(log("again.log"))")
        usleep(300_000)
        #expect(again.isRunning, "no crash")
        #expect(stop(again) == 0)
        #expect(try windows().map(\.records) == [10, 10, 10, 10], "each window once")
        if how != "missing" {
            #expect(log("again.log").contains("checkpoint is unusable; moved aside"), "\(log("again.log"))")
            #expect(FileManager.default.fileExists(atPath: checkpoint + ".unusable"))
        }
    }

    /// A FIFO matching the glob blocked run in open() before any reading, and SIGTERM was ignored; a directory
    /// was retried forever.
    @Test func aFIFOAndADirectoryMatchingTheGlobAreSkippedAndSIGTERMIsHonoured() throws {
        let config = try setUp()
        #expect(mkfifo(dir.file("logs/a-fifo.jsonl"), 0o644) == 0)
        try FileManager.default.createDirectory(atPath: dir.file("logs/b-dir.jsonl"), withIntermediateDirectories: true)
        try writeFile(dir.file("logs/c.jsonl"), (0..<15).map { Self.line($0, $0) }.joined(separator: "\n") + "\n")
        let run = try start(config)
        #expect(waitFor(15) { checkpointedRecords(in: dir.file("state")) == 15 }, "\(log())")
        let asked = Date()
        #expect(stop(run) == 0)
        #expect(Date().timeIntervalSince(asked) < 5)
        #expect(log().contains("is a FIFO, not a regular file"))
        #expect(log().contains("is a directory, not a regular file"))
    }

    /// A disk that filled in the middle of a window left its first feature lines twice once it came back. The
    /// file size limit (RLIMIT_FSIZE, raised again with prlimit) fills the disk for driftd alone.
    @Test func aDiskThatFillsPartWayThroughAWindowLeavesNoLineTwice() throws {
        let config = try setUp()
        let features = (0..<40).map { #""f\#($0)":\#($0)"# }.joined(separator: ",")
        let lines = (0..<25).map { #"{"ts":\#(1_795_687_200 + $0),"model":"m","features":{\#(features)}}"# }
        try writeFile(dir.file("logs/a.jsonl"), lines.joined(separator: "\n") + "\n")
        // About one and a half windows of lines fit (a window writes 41 lines of about 400 bytes).
        let run = try startProcess(
            "/usr/bin/prlimit", ["--fsize=24000:unlimited", driftd, "run", "--config", config],
            stderr: dir.file("run.log"))
        #expect(waitFor(15) { log().contains("cannot write the metric file") }, "\(log())")
        #expect(try (readFile(dir.file("out/metrics.jsonl"))).count <= 24000)
        let raise = try runProcess(
            "/usr/bin/prlimit", ["--pid", "\(run.processIdentifier)", "--fsize=unlimited:unlimited"])
        #expect(raise.status == 0, "\(raise.stderr)")
        #expect(waitFor(15) { checkpointedRecords(in: dir.file("state")) == 25 }, "\(log())")
        #expect(stop(run) == 0)
        let all = splitLines(try readFile(dir.file("out/metrics.jsonl")))
        let keys = all.compactMap { line -> String? in
            let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return o.map { "\($0["kind"]!) \($0["window_start"] ?? "") \($0["feature"] ?? "")" }
        }
        #expect(keys.count == all.count, "every line whole")
        #expect(Set(keys).count == keys.count, "no line twice")
        #expect(try windows().map(\.records) == [10, 10])
    }
}
