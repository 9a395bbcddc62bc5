import DriftCore
import DriftTestSupport
import Foundation
import Testing

/// `driftd run` joining labels that arrive after their predictions, killed with SIGKILL at random moments while
/// labels are pending and restarted: every window whose labels are final gets exactly one `kind: performance`
/// line, and it equals the join computed here from what was written.
@Suite(.serialized) struct LabelRunCrashTests {
    let dir = TemporaryDirectory("driftd-labels")
    let driftd = driftdExecutable()
    static let start: Int64 = 1_795_651_200

    struct Event {
        var time: Int64  // milliseconds
        var line: String
        var label: Bool
    }

    /// Predictions at 20 per second for 150 s; 85% labeled 1–15 s later (max_delay 20 s), as one writer appends
    /// them: each to its file, in the order they happen.
    static func events() -> (events: [Event], expected: [Int64: (predictions: Int, pairs: [(Double, Bool)])]) {
        var rng = SeededGenerator(seed: 4)
        var events: [Event] = []
        var expected: [Int64: (predictions: Int, pairs: [(Double, Bool)])] = [:]
        for i in 0..<3_000 {
            let ms = Self.start * 1000 + Int64(i) * 50
            let score = (rng.unit() * 1000).rounded() / 1000
            let id = "req-\(i)-\(rng.next() % 1_000_000)"
            events.append(
                Event(
                    time: ms,
                    line: #"{"ts":\#(ms),"model":"m","request_id":"\#(id)","prediction":{"score":\#(score)}}"#,
                    label: false))
            let window = (ms / 1000) - (ms / 1000) % 10
            expected[window, default: (0, [])].predictions += 1
            guard rng.unit() < 0.85 else { continue }
            let positive = rng.unit() < score
            let at = ms + 1000 + Int64(rng.unit() * 14_000)
            events.append(
                Event(time: at, line: #"{"ts":\#(at),"request_id":"\#(id)","actual":\#(positive)}"#, label: true))
            expected[window]!.pairs.append((score, positive))
        }
        events.sort { $0.time < $1.time }
        return (events, expected)
    }

    func checkpointTime() -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: dir.file("state/checkpoint.json")))?[.modificationDate]
            as? Date
    }

    func joinTime() -> Int64? {
        guard let data = FileManager.default.contents(atPath: dir.file("state/checkpoint.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let aggregator = object["aggregator"] as? [String: Any], let join = aggregator["join"] as? [String: Any]
        else { return nil }
        return (join["now"] as? NSNumber)?.int64Value
    }

    @Test func killNineWhileLabelsArePendingLosesAndDuplicatesNothing() throws {
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("labels"), withIntermediateDirectories: true)
        try writeFile(dir.file("logs/app.jsonl"), "")
        try writeFile(dir.file("labels/labels.jsonl"), "")
        try writeFile(
            dir.file("driftd.yaml"),
            """
            inputs: [{path: "logs/*.jsonl"}]
            labels: [{path: "labels/*.jsonl", max_delay: 20s}]
            schema: {request_id: request_id}
            windows: [{size: 10s, allowed_lateness: 2s, idle_timeout: 1h}]
            output: {dir: run-metrics}
            state_dir: state
            """)
        let (events, expected) = Self.events()
        // The writer: chunks of 40 events every 30 ms, each line to its file.
        let allWritten = DispatchSemaphore(value: 0)
        let writing = Thread {
            defer { allWritten.signal() }
            let predictions = FileHandle(forWritingAtPath: self.dir.file("logs/app.jsonl"))!
            let labels = FileHandle(forWritingAtPath: self.dir.file("labels/labels.jsonl"))!
            for chunk in stride(from: 0, to: events.count, by: 40) {
                for e in events[chunk..<min(events.count, chunk + 40)] {
                    (e.label ? labels : predictions).write(Data((e.line + "\n").utf8))
                }
                usleep(30_000)
            }
            try? predictions.close()
            try? labels.close()
        }
        let done = Date().addingTimeInterval(Double(events.count / 40) * 0.03 + 0.5)
        writing.start()
        var rng = SeededGenerator(seed: 12)
        var kills = 0
        while Date() < done || kills < 3 {
            let run = try startProcess(
                driftd, ["run", "--config", dir.file("driftd.yaml")], stderr: dir.file("run.log"))
            usleep(UInt32(150_000 + rng.unit() * 450_000))
            _ = stopProcess(run, signal: SIGKILL)
            kills += 1
        }
        allWritten.wait()
        // A last run reads everything (a checkpoint of its own says the join has seen the last label), then stops.
        let before = checkpointTime()
        let last = try startProcess(driftd, ["run", "--config", dir.file("driftd.yaml")], stderr: dir.file("run.log"))
        let lastEvent = events.last!.time * 1_000_000
        let deadline = Date().addingTimeInterval(30)
        while (checkpointTime() == before || joinTime() != lastEvent) && Date() < deadline { usleep(100_000) }
        #expect(joinTime() == lastEvent, "the last run caught up")
        #expect(stopProcess(last) == 0)

        var written: [Int64: [String: Any]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.file("run-metrics")) {
            for line in try splitLines(readFile(dir.file("run-metrics/" + name)))
            where line.contains(#""kind":"performance""#) {
                let o = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let start = try #require(EventTime(rfc3339: o["window_start"] as! String)).nanoseconds / 1_000_000_000
                #expect(written[start] == nil, "window \(start) written twice (\(kills) kills)")
                written[start] = o
            }
        }
        // Final: every window that ended 22 s (max_delay + lateness) before the last event.
        let final = expected.keys.filter { ($0 + 10) * 1000 + 22_000 <= events.last!.time }
        #expect(final.count >= 12)
        for window in final.sorted() {
            let line = try #require(written[window], "window \(window) never written (\(kills) kills)")
            let e = expected[window]!
            #expect(line["predictions"] as? Int == e.predictions)
            #expect(line["labeled"] as? Int == e.pairs.count)
            #expect(line["unmatched"] as? Int == e.predictions - e.pairs.count)
            let tp = Double(e.pairs.filter { $0.0 >= 0.5 && $0.1 }.count)
            let predictedPositive = Double(e.pairs.filter { $0.0 >= 0.5 }.count)
            #expect(abs((line["precision"] as? Double ?? -1) - tp / predictedPositive) < 1e-12, "\(window)")
        }
        #expect(kills >= 3)
    }
}
