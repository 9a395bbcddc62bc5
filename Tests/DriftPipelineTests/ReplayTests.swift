import DriftConfig
import DriftCore
import DriftGenerate
import DriftPipeline
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

@Suite struct ReplayTests {
    let dir = TemporaryDirectory()

    func config(window: Span = .seconds(60), lateness: Span = .seconds(60), maxLineBytes: Int = 1 << 20) -> DriftConfig
    {
        var c = DriftConfig(file: dir.file("driftd.yaml"))
        c.windows = [WindowSpec(size: window, allowedLateness: lateness)]
        c.output.dir = dir.file("metrics")
        c.limits.maxLineBytes = maxLineBytes
        return c
    }

    func metricLines(_ subdir: String = "metrics") throws -> [[String: Any]] {
        let bytes = try readFile(dir.file("\(subdir)/metrics.jsonl"))
        return try splitLines(bytes).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func replay(_ files: [String], _ config: DriftConfig, into out: String? = nil) throws -> Replay.Summary {
        try Replay(config: config, telemetry: quietTelemetry()).run(files: files, outputDirectory: out)
    }

    func writeZstd(_ path: String, _ lines: [String], frameLines: Int = 250) throws {
        var options = LogFileWriter.Options()
        options.frameLines = frameLines
        options.flushEvery = 7
        let writer = try LogFileWriter(path: path, options: options)
        for line in lines { try writer.write(line: Array(line.utf8)) }
        try writer.close()
    }

    static func startMillis(_ line: [String: Any]) -> Int64 {
        let f = ISO8601DateFormatter()
        let date = f.date(from: line["window_start"] as! String)!
        return Int64(date.timeIntervalSince1970 * 1000)
    }

    /// Generated records with bad lines and wrong-typed values mixed in: every statistic of every
    /// (model, window, feature) equals the exact computation, and every good line is counted. In both shapes: the
    /// realistic one has UUIDs, 17-digit doubles, nulls, numeric-looking strings and an object driftd skips.
    @Test(arguments: SyntheticLog.Shape.allCases)
    func everyStatisticEqualsAnExactComputationAndNoGoodLineIsLost(_ shape: SyntheticLog.Shape) throws {
        var options = SyntheticLog.Options()
        options.shape = shape
        options.models = ["fraud-v3", "churn-v1"]
        options.rate = 25
        options.driftAfter = 4000
        var log = SyntheticLog(options: options)
        var good: [String] = []
        var all: [String] = []
        var bad = 0
        for i in 0..<8000 {
            var line = String(decoding: log.nextLine(), as: UTF8.self)
            if i % 97 == 0 { line = line.replacingOccurrences(of: "\"amount\":", with: "\"amount\":\"oops\",\"x\":") }
            if i % 89 == 0 { line = line.replacingOccurrences(of: "\"country\":", with: "\"country\":5,\"y\":") }
            // A nested object is flattened (age.nested); an array gives hour.length and hour[] (its string).
            if i % 211 == 0 { line = line.replacingOccurrences(of: "\"age\":", with: "\"age\":{\"nested\":1},\"z\":") }
            if i % 223 == 0 { line = line.replacingOccurrences(of: "\"hour\":", with: "\"hour\":[1,\"x\"],\"w\":") }
            good.append(line)
            all.append(line)
            if i % 500 == 7 {
                all += [
                    "{not json", "[1,2,3]", #"{"model":"fraud-v3","features":{}}"#, String(repeating: "x", count: 5000),
                ]
                bad += 4
            }
        }
        let path = dir.file("app.jsonl.zst")
        try writeZstd(path, all)
        let summary = try replay([path], config(maxLineBytes: 4096))
        #expect(summary.records == good.count)
        #expect(summary.rejected == bad)
        #expect(summary.unattributedRejected == 0)
        #expect(summary.late == 0)

        let exact = ExactStatistics(lines: good, windowSeconds: 60)
        let lines = try metricLines()
        let windows = lines.filter { $0["kind"] as? String == "window" }
        let features = lines.filter { $0["kind"] as? String == "feature" }
        #expect(windows.reduce(0) { $0 + ($1["records"] as! Int) } == good.count)
        #expect(windows.reduce(0) { $0 + ($1["rejected"] as! Int) } == bad)
        for w in windows {
            let model = w["model"] as! String
            #expect(
                w["records"] as? Int == exact.records[model]?[Self.startMillis(w)], "\(model) \(w["window_start"]!)")
            let accuracy = try #require(exact.labeled[model]?[Self.startMillis(w)])
            #expect(w["labeled"] as? Int == accuracy.n)
            // Compared to 1e-15: Foundation's JSON parser on Linux misrounds some 16–17 digit decimals.
            let got = try #require(w["accuracy"] as? Double)
            #expect(abs(got - Double(accuracy.correct) / Double(accuracy.n)) <= 1e-15)
        }
        var absent = 0
        for f in features {
            let key = ExactStatistics.Key(
                model: f["model"] as! String, windowStart: Self.startMillis(f), feature: f["feature"] as! String)
            let records = exact.records[key.model]![key.windowStart]!
            let context = "\(key.model) \(f["window_start"]!) \(key.feature)"
            guard let v = exact.values[key] else {
                // A feature of the model absent from this window is reported with everything missing, when an
                // earlier window saw it (docs/semantics.md, Types).
                absent += 1
                #expect(f["count"] as? Int == 0 && f["invalid"] as? Int == 0, "\(context)")
                #expect(f["missing"] as? Int == records, "\(context)")
                #expect(
                    exact.values.keys.contains {
                        $0.model == key.model && $0.feature == key.feature && $0.windowStart < key.windowStart
                    }, "\(context)")
                continue
            }
            if f["type"] as? String == "numeric" {
                #expect(f["count"] as? Int == v.numbers.count, "\(context)")
                #expect(f["invalid"] as? Int == v.strings.count + v.other, "\(context)")
                #expect(f["missing"] as? Int == records - v.numbers.count - v.strings.count - v.other, "\(context)")
                let mean = try #require(f["mean"] as? Double)
                #expect(abs(mean - ExactStatistics.mean(v.numbers)) <= 1e-12 * max(1, abs(mean)), "\(context)")
                if let std = ExactStatistics.std(v.numbers) {
                    #expect(abs((f["std"] as! Double) - std) <= 1e-9 * max(std, 1e-12), "\(context)")
                }
                #expect(f["min"] as? Double == v.numbers.min(), "\(context)")
                #expect(f["max"] as? Double == v.numbers.max(), "\(context)")
                // Quantiles: within 1% normalized rank error of the exact ranks.
                let sorted = v.numbers.sorted()
                for (name, q) in zip(
                    ["p01", "p05", "p10", "p25", "p50", "p75", "p90", "p95", "p99"],
                    [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99])
                {
                    let value = try #require(f[name] as? Double, "\(context) \(name)")
                    let below = Double(sorted.firstIndex { $0 >= value } ?? sorted.count) / Double(sorted.count)
                    let atOrBelow = Double(sorted.lastIndex { $0 <= value }.map { $0 + 1 } ?? 0) / Double(sorted.count)
                    #expect(q >= below - 0.01 && q <= atOrBelow + 0.01, "\(context) \(name)")
                }
            } else {
                #expect(f["type"] as? String == "categorical", "\(context)")
                #expect(f["count"] as? Int == v.strings.count, "\(context)")
                #expect(f["invalid"] as? Int == v.numbers.count + v.other, "\(context)")
                // A multi-valued `NAME[]` counts elements: its missing records are those without one.
                let valued = v.listed > 0 ? v.listed : v.strings.count + v.numbers.count + v.other
                #expect(f["missing"] as? Int == records - valued, "\(context)")
                #expect(f["distinct"] as? Int == Set(v.strings).count, "\(context)")
                var counts: [String: Int] = [:]
                for s in v.strings { counts[s, default: 0] += 1 }
                let exactTop = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                let got = (f["top"] as! [[String: Any]]).map { ($0["value"] as! String, $0["count"] as! Int) }
                let error = try #require(f["top_error"] as? Int)
                if error == 0 {
                    #expect(
                        got.map { "\($0.0)=\($0.1)" } == exactTop.prefix(10).map { "\($0.key)=\($0.value)" },
                        "\(context)")
                } else {
                    // Misra–Gries: every count at most `top_error` under the truth; every value more frequent
                    // than the bound is found.
                    #expect(error <= v.strings.count / 65, "\(context)")
                    for (value, count) in got {
                        #expect(count <= counts[value]! && count >= counts[value]! - error, "\(context) \(value)")
                    }
                    for (value, count) in exactTop.prefix(3) where count > 2 * error {
                        #expect(got.contains { $0.0 == value }, "\(context) \(value)")
                    }
                }
            }
        }
        #expect(features.count - absent == exact.values.count)
    }

    @Test func theSameInputGivesByteIdenticalMetricFilesWhateverTheNumberOfWorkers() throws {
        var options = SyntheticLog.Options()
        options.models = ["a", "b", "c"]
        var log = SyntheticLog(options: options)
        let lines = (0..<30_000).map { _ in String(decoding: log.nextLine(), as: UTF8.self) }
        let path = dir.file("same.jsonl.zst")
        try writeZstd(path, lines)
        for (run, workers) in [(1, 1), (2, 1), (3, 3), (4, 8)] {
            _ = try Replay(config: config(), telemetry: quietTelemetry())
                .run(files: [path], outputDirectory: dir.file("run\(run)"), workers: workers)
        }
        let a = try readFile(dir.file("run1/metrics.jsonl"))
        #expect(!a.isEmpty)
        for run in 2...4 { #expect(a == (try readFile(dir.file("run\(run)/metrics.jsonl"))), "run \(run)") }
    }

    @Test func rejectedLinesCountInTheWindowOfTheNextRecord() throws {
        let lines = [
            #"{"ts":"2026-11-26T10:00:10Z","features":{"a":1}}"#,
            "garbage",
            #"{"ts":"2026-11-26T10:01:10Z","features":{"a":2}}"#,
            "more garbage", "[]",
        ]
        let path = dir.file("plain.jsonl")
        try writeFile(path, lines.joined(separator: "\n"))
        let summary = try replay([path], config())
        #expect(summary.rejected == 3)
        let windows = try metricLines().filter { $0["kind"] as? String == "window" }
        #expect(windows.map { $0["window_start"] as! String } == ["2026-11-26T10:00:00Z", "2026-11-26T10:01:00Z"])
        // The first bad line sits before the 10:01 record; the two after the last record go to its window.
        #expect(windows.map { $0["rejected"] as! Int } == [0, 3])
    }

    @Test func aRecordOnABoundaryBelongsToTheLaterWindow() throws {
        let lines = [
            #"{"ts":"2026-11-26T10:04:59.999Z","features":{"a":1}}"#,
            #"{"ts":"2026-11-26T10:05:00Z","features":{"a":2}}"#,
            #"{"ts":1795687500,"features":{"a":3}}"#,  // 10:05:00 as epoch seconds
        ]
        let path = dir.file("boundary.jsonl")
        try writeFile(path, lines.joined(separator: "\n") + "\n")
        _ = try replay([path], config(window: .seconds(300)))
        let windows = try metricLines().filter { $0["kind"] as? String == "window" }
        #expect(windows.map { $0["window_start"] as! String } == ["2026-11-26T10:00:00Z", "2026-11-26T10:05:00Z"])
        #expect(windows.map { $0["window_end"] as! String } == ["2026-11-26T10:05:00Z", "2026-11-26T10:10:00Z"])
        #expect(windows.map { $0["records"] as! Int } == [1, 2])
        let a = try metricLines().filter { $0["feature"] as? String == "a" }
        #expect(a.map { $0["mean"] as! Double } == [1, 2.5])
    }

    @Test func regressionErrorsAgainstActual() throws {
        let lines = [
            #"{"ts":"2026-11-26T10:00:01Z","prediction":10.0,"actual":12.0}"#,
            #"{"ts":"2026-11-26T10:00:02Z","prediction":{"value":5.5,"score":0.9},"actual":5.0}"#,
            #"{"ts":"2026-11-26T10:00:03Z","prediction":7.0}"#,
            #"{"ts":"2026-11-26T10:00:04Z","prediction":{"label":"a"},"actual":"a"}"#,
        ]
        let path = dir.file("regression.jsonl")
        try writeFile(path, lines.joined(separator: "\n") + "\n")
        _ = try replay([path], config())
        let window = try #require(try metricLines().first { $0["kind"] as? String == "window" })
        #expect(window["labeled_regression"] as? Int == 2)
        #expect(window["mae"] as? Double == (2.0 + 0.5) / 2)
        #expect(abs((window["rmse"] as! Double) - ((4.0 + 0.25) / 2).squareRoot()) <= 1e-15)
        #expect(window["labeled"] as? Int == 1 && window["accuracy"] as? Double == 1)
    }

    @Test func lateRecordsAreDroppedAndCounted() throws {
        let lines = [
            #"{"ts":"2026-11-26T10:00:30Z","features":{"a":1}}"#,
            #"{"ts":"2026-11-26T10:06:00Z","features":{"a":2}}"#,  // watermark 10:05 closes [10:00, 10:05)
            #"{"ts":"2026-11-26T10:01:00Z","features":{"a":100}}"#,  // late
        ]
        let path = dir.file("late.jsonl")
        try writeFile(path, lines.joined(separator: "\n") + "\n")
        let summary = try replay([path], config(window: .seconds(300), lateness: .seconds(60)))
        #expect(summary.late == 1)
        let windows = try metricLines().filter { $0["kind"] as? String == "window" }
        #expect(windows.map { $0["records"] as! Int } == [1, 1])
        #expect(windows.map { $0["late"] as! Int } == [0, 1])
        let a = try metricLines().filter { $0["feature"] as? String == "a" }
        #expect(a.map { $0["max"] as! Double } == [1, 2])
    }

    @Test func filesAreReadOldestFirstWhateverTheirNames() throws {
        // Rotated names sort before the live one, but the live one holds the newest records.
        let old = dir.file("app.jsonl.zst-0001")
        let live = dir.file("app.jsonl.zst")
        try writeZstd(live, [#"{"ts":"2026-11-26T10:30:00Z","features":{"a":2}}"#])
        try writeZstd(old, [#"{"ts":"2026-11-26T10:00:00Z","features":{"a":1}}"#])
        var times = [timeval(tv_sec: 1_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000, tv_usec: 0)]
        #expect(utimes(old, &times) == 0)
        var config = config(lateness: .zero)
        config.inputs = [.init(path: dir.file("app.jsonl.zst*"))]
        let summary = try replay([], config)
        #expect(summary.files == 2)
        #expect(summary.late == 0, "read in write order, nothing is late")
        #expect(try metricLines().filter { $0["kind"] as? String == "window" }.count == 2)
    }

    @Test func aFeatureKeepsItsTypeAndIsReportedWhenAbsent() throws {
        let lines = [
            #"{"ts":"2026-11-26T10:00:00Z","features":{"a":1,"c":"x"}}"#,
            #"{"ts":"2026-11-26T10:01:00Z","features":{"a":"oops"}}"#,
        ]
        let path = dir.file("types.jsonl")
        try writeFile(path, lines.joined(separator: "\n") + "\n")
        _ = try replay([path], config())
        let second = try metricLines().filter {
            ($0["window_start"] as? String) == "2026-11-26T10:01:00Z" && $0["kind"] as? String == "feature"
        }
        let byName = Dictionary(uniqueKeysWithValues: second.map { ($0["feature"] as! String, $0) })
        #expect(byName["a"]?["type"] as? String == "numeric", "the type settled by the first window")
        #expect(byName["a"]?["invalid"] as? Int == 1)
        #expect(byName["c"]?["missing"] as? Int == 1, "a known feature absent from a window is reported missing")
    }
}

/// Files whose event times overlap are merged however they sort by modification time (DESIGN §2).
@Suite struct ReplayMergeTests {
    let dir = TemporaryDirectory()

    /// A fast writer rotates twice while a slow one writes one long file, which is modified last: its records from
    /// the first second on are read with the fast writer's, not after them (none late): files are opened by their
    /// first record's time, not by their modification time.
    @Test func aSlowWritersLongFileModifiedLastIsMergedWithTheFastOnes() throws {
        func line(_ second: Double, _ writer: String) -> String {
            let t = EventTime(nanoseconds: 1_795_651_200_000_000_000 + Int64(second * 1e9))
            return #"{"ts":"\#(t.rfc3339)","model":"m","features":{"x":\#(second),"w":"\#(writer)"}}"#
        }
        let fast1 = (0..<1000).map { line(Double($0) / 10, "fast") }  // 0…100 s
        let fast2 = (1000..<2000).map { line(Double($0) / 10, "fast") }  // 100…200 s
        let slow = (0..<200).map { line(Double($0) + 0.05, "slow") }  // 0…200 s
        try writeFile(dir.file("fast.jsonl-1"), fast1.joined(separator: "\n") + "\n")
        try writeFile(dir.file("fast.jsonl-2"), fast2.joined(separator: "\n") + "\n")
        try writeFile(dir.file("slow.jsonl"), slow.joined(separator: "\n") + "\n")
        for (i, name) in ["fast.jsonl-1", "fast.jsonl-2", "slow.jsonl"].enumerated() {
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_795_000_000 + Double(i) * 100)],
                ofItemAtPath: dir.file(name))
        }
        var config = DriftConfig(file: dir.file("driftd.yaml"))
        config.windows = [WindowSpec(size: .seconds(10), allowedLateness: .seconds(2))]
        config.output.dir = dir.file("metrics")
        config.inputs = [.init(path: dir.file("*.jsonl*"))]
        let summary = try Replay(config: config, telemetry: quietTelemetry()).run(workers: 2)
        #expect(summary.records == 2200)
        #expect(summary.late == 0)
        let windows = splitLines(try readFile(dir.file("metrics/metrics.jsonl")))
            .filter { $0.contains(#""kind":"window""#) }
        #expect(windows.count == 20)
        #expect(windows.allSatisfy { $0.contains(#""records":110"#) }, "100 fast and 10 slow records per window")
    }
}
