import DriftConfig
import DriftCore
import DriftGenerate
import DriftPipeline
import DriftTestSupport
import Foundation
import Testing

/// Labels that arrive later, replayed: predictions of two models from two writers with realistic records (UUID
/// request ids, 17-digit doubles, numeric-looking strings, nulls), labels in a plain and a zstd file, some never
/// sent, some too late, some lines broken. Every `kind: performance` line equals the computation done here.
@Suite struct LabelReplayTests {
    let dir = TemporaryDirectory()
    static let start: Int64 = 1_795_651_200  // 2026-11-27T00:00:00Z

    struct Prediction {
        var model: String
        var time: Int64  // seconds
        var id: String
        var score: Double
        var actual: Bool?
        var labelDelay: Int64
    }

    static func uuid(_ rng: inout SeededGenerator) -> String {
        let hex = (0..<2).map { _ in String(rng.next(), radix: 16).leftPadded(16) }.joined()
        let c = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(c[$0]) }.joined(separator: "-")
    }

    func config(_ extra: String = "") throws -> DriftConfig {
        try writeFile(
            dir.file("driftd.yaml"),
            """
            inputs: [{path: "logs/*.jsonl.zst"}]
            labels:
              - {path: "labels/*.jsonl", max_delay: 30m}
              - {path: "labels/*.jsonl.zst", max_delay: 30m}
            schema: {request_id: request_id}
            windows: [{size: 5m, allowed_lateness: 1m}]
            output: {dir: metrics}
            \(extra)
            """)
        return try ConfigLoader.load(path: dir.file("driftd.yaml"))
    }

    func lines(_ file: String = "metrics/metrics.jsonl") throws -> [[String: Any]] {
        try splitLines(readFile(dir.file(file))).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func everyPerformanceLineEqualsAnExactComputationOnTheJoinedRecords() throws {
        var rng = SeededGenerator(seed: 42)
        var predictions: [Prediction] = []
        for i in 0..<6_000 {
            let score = rng.unit()
            // 10% never labeled, 2% labeled 45 minutes later (past max_delay), the rest within 20 minutes.
            let r = rng.unit()
            let delay: Int64 = r < 0.02 ? 2_700 : Int64(60 + rng.unit() * 1_140)
            predictions.append(
                Prediction(
                    model: i % 3 == 0 ? "churn" : "fraud", time: Self.start + Int64(i) / 2, id: Self.uuid(&rng),
                    score: score, actual: r > 0.9 ? nil : rng.unit() < score, labelDelay: delay))
        }
        // Two writers of predictions, each its own file in event-time order.
        for writer in 0..<2 {
            let mine = predictions.enumerated().filter { $0.offset % 2 == writer }.map { i, p in
                let amount = Double(i) * 0.21863797480360336 + 0.1
                return
                    #"{"ts":\#(p.time),"model":"\#(p.model)","request_id":"\#(p.id)","features":{"amount":\#(amount),"merchant":"\#(5000 + i % 37)","note":null},"prediction":{"score":\#(p.score),"label":"\#(p.score >= 0.5 ? 1 : 0)"}}"#
            }
            try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
            let w = try LogFileWriter(path: dir.file("logs/writer\(writer).jsonl.zst"), options: .init())
            for line in mine { try w.write(line: Array(line.utf8)) }
            try w.close()
        }
        // Labels in the order they come, split over a plain and a zstd file; actuals as 0/1 in one, booleans in the
        // other; broken lines among them.
        let labels = predictions.filter { $0.actual != nil }.sorted {
            $0.time + $0.labelDelay < $1.time + $1.labelDelay
        }
        var plain: [String] = [#"{"request_id":"x","ts":1795651300}"#, "not json"]
        var compressed: [String] = [#"{"actual":1,"ts":1795651300}"#]
        for (i, p) in labels.enumerated() {
            let ts = p.time + p.labelDelay
            if i % 2 == 0 {
                plain.append(#"{"request_id":"\#(p.id)","actual":\#(p.actual! ? 1 : 0),"ts":\#(ts)}"#)
            } else {
                compressed.append(#"{"ts":\#(ts),"request_id":"\#(p.id)","actual":\#(p.actual!)}"#)
            }
        }
        try FileManager.default.createDirectory(atPath: dir.file("labels"), withIntermediateDirectories: true)
        try writeFile(dir.file("labels/a.jsonl"), plain.joined(separator: "\n") + "\n")
        let w = try LogFileWriter(path: dir.file("labels/b.jsonl.zst"), options: .init())
        for line in compressed { try w.write(line: Array(line.utf8)) }
        try w.close()

        let telemetry = quietTelemetry()
        _ = try Replay(config: try config(), telemetry: telemetry).run()
        let out = try lines()
        let performance = out.filter { $0["kind"] as? String == "performance" }
        let windows = out.filter { $0["kind"] as? String == "window" }
        #expect(windows.count == 20, "10 five-minute windows of 3,000 s, for each of two models")
        #expect(performance.count == windows.count)
        #expect(telemetry.countersWithTotals["labels_rejected_total"] == 3, "no id, no actual, not JSON")

        // The join by hand: a label counts when it came within max_delay (+ the lateness).
        var expected: [String: (predictions: Int, labeled: Int, pairs: [(score: Double, positive: Bool)])] = [:]
        for p in predictions {
            let key = "\(p.model) \(EventTime(nanoseconds: (p.time - p.time % 300) * 1_000_000_000).rfc3339)"
            var e = expected[key] ?? (0, 0, [])
            e.predictions += 1
            if let actual = p.actual, p.labelDelay <= 1_860 {
                e.labeled += 1
                e.pairs.append((p.score, actual))
            }
            expected[key] = e
        }
        for line in performance {
            let key = "\(line["model"]!) \(line["window_start"]!)"
            let e = try #require(expected[key], "\(key)")
            #expect(line["predictions"] as? Int == e.predictions, "\(key)")
            #expect(line["labeled"] as? Int == e.labeled, "\(key)")
            #expect(line["unmatched"] as? Int == e.predictions - e.labeled, "\(key) \(line)")
            #expect(line["task"] as? String == "binary")
            var (tp, fp, tn, fn) = (0.0, 0.0, 0.0, 0.0)
            for (s, y) in e.pairs {
                switch (s >= 0.5, y) {
                case (true, true): tp += 1
                case (true, false): fp += 1
                case (false, false): tn += 1
                case (false, true): fn += 1
                }
            }
            let want: [String: Double] = [
                "accuracy": (tp + tn) / Double(e.pairs.count), "precision": tp / (tp + fp), "recall": tp / (tp + fn),
                "f1": 2 * tp / (2 * tp + fp + fn), "roc_auc": exactROCAUC(e.pairs),
            ]
            for (name, value) in want {
                let got = try #require(line[name] as? Double, "\(key) \(name)")
                #expect(abs(got - value) < 1e-12, "\(key) \(name): \(got) against \(value)")
            }
        }
        let late = predictions.filter { $0.actual != nil && $0.labelDelay > 1_860 }.count
        #expect(late > 50)
        #expect(telemetry.countersWithTotals["labels_unmatched_total"] == late, "each label that came too late")
        #expect(telemetry.countersWithTotals["labels_joined_total"] == labels.count - late)
    }

    /// Actuals in the records: the integers 0 and 1 make a binary task (not a regression); `performance.task`
    /// overrides the inference, and `positive_label` names the positive class.
    @Test(
        arguments: [
            ("", "1", "0", ["labeled": 4, "accuracy": 0.75, "precision": 2.0 / 3, "recall": 1, "f1": 0.8]),
            ("performance: {task: regression}", "1", "0", ["labeled_regression": 4, "mae": 0.275]),
            ("performance: {positive_label: fraud}", "\"fraud\"", "\"legit\"", ["labeled": 4, "precision": 2.0 / 3]),
        ] as [(String, String, String, [String: Double])])
    func theTaskIsInferredOrGiven(extra: String, positive: String, negative: String, want: [String: Double]) throws {
        // Scores 0.9, 0.8, 0.7 (predicted positive), 0.1; actuals positive, positive, negative, negative.
        let records = [(0.9, positive), (0.8, positive), (0.7, negative), (0.1, negative)].enumerated().map { i, r in
            #"{"ts":\#(Self.start + Int64(i)),"prediction":\#(r.0),"actual":\#(r.1)}"#
        }
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        try writeFile(dir.file("logs/a.jsonl"), records.joined(separator: "\n") + "\n")
        var c = try config(extra)
        c.labels = []
        _ = try Replay(config: c, telemetry: quietTelemetry()).run(files: [dir.file("logs/a.jsonl")])
        let window = try #require(try lines().first { $0["kind"] as? String == "window" })
        for (name, value) in want {
            let got = try #require((window[name] as? NSNumber)?.doubleValue, "\(name) in \(window)")
            #expect(abs(got - value) < 1e-12, "\(name)")
        }
        if extra.contains("regression") { #expect(window["precision"] == nil) }
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
