import DriftConfig
import DriftCore
import DriftGenerate
import DriftPipeline
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

/// Several writers of one model, each its own file with its own clock and some records written late, replayed
/// with 10 s windows that feed 30 s ones (a 10 s window closes 1 s after its end, a 30 s one 5 s after): every
/// window of either size is the window that size gives aggregated alone. Records late for their 10 s window but
/// in time for their 30 s one go to the 30 s window directly, and are counted there.
@Suite struct ComposedWritersReplayTests {
    let dir = TemporaryDirectory()
    static let skews: [Double] = [0, 2.1, -1.3]

    /// Writer `w`'s lines, realistic records (UUIDs, 17-digit doubles, nulls, a long-tail categorical, a nested
    /// object) three a second, its clock `skews[w]` off; every 10th line is written 8 lines (2.7 s) late.
    static func writerLines(_ w: Int, records: Int) -> [String] {
        var options = SyntheticLog.Options()
        options.shape = .realistic
        options.seed = UInt64(w + 11)
        options.rate = 3
        options.merchants = 2000
        options.start = options.start + Span(nanoseconds: Int64(skews[w] * 1e9))
        var log = SyntheticLog(options: options)
        var lines = (0..<records).map { _ in String(decoding: log.nextLine(), as: UTF8.self) }
        for i in stride(from: 5, to: records - 8, by: 10) {
            let held = lines.remove(at: i)
            lines.insert(held, at: i + 8)
        }
        return lines
    }

    func replay(_ files: [String], windows: [WindowSpec], into name: String) throws -> [[String: Any]] {
        var config = DriftConfig(file: dir.file("driftd.yaml"))
        config.windows = windows
        config.output.dir = dir.file(name)
        _ = try Replay(config: config, telemetry: quietTelemetry()).run(files: files, outputDirectory: nil)
        return try splitLines(try readFile(dir.file("\(name)/metrics.jsonl"))).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// The lines of window size `size`, by (kind, start, feature).
    static func bySize(_ lines: [[String: Any]], _ size: String) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for line in lines where line["window"] as? String == size {
            let key = "\(line["kind"]!) \(line["window_start"]!) \(line["feature"] ?? "")"
            #expect(result[key] == nil, "\(key) written twice")
            result[key] = line
        }
        return result
    }

    /// Each categorical feature's exact counts by 30 s window start (ISO 8601) and value, from the files' lines.
    static func exactCounts(_ files: [[String]]) throws -> [String: [String: Int]] {
        let parse = ISO8601DateFormatter()
        parse.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let print = ISO8601DateFormatter()
        var counts: [String: [String: Int]] = [:]
        for line in files.joined() {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let seconds = try #require(parse.date(from: o["ts"] as! String)).timeIntervalSince1970.rounded(.down)
            let start = print.string(
                from: Date(timeIntervalSince1970: seconds - seconds.truncatingRemainder(dividingBy: 30)))
            for (name, value) in o["features"] as! [String: Any] {
                if let value = value as? String { counts["\(start) \(name)", default: [:]][value, default: 0] += 1 }
            }
        }
        return counts
    }

    /// Top values that Misra–Gries merged from finer windows, not counted value by value: each count is at most
    /// `top_error` under the exact one and never over it, and `top_error` at most n/65 (docs/statistics.md).
    static func expectWithinBound(_ line: [String: Any], exact: [String: Int], _ key: String) {
        let error = line["top_error"] as! Int
        #expect(error <= (line["count"] as! Int) / 65, "\(key): top_error \(error)")
        for entry in line["top"] as! [[String: Any]] {
            let value = "\(entry["value"]!)"
            let count = entry["count"] as! Int
            let truth = exact[value] ?? 0
            #expect(count <= truth && count >= truth - error, "\(key) \(value): \(count), exact \(truth)")
        }
    }

    /// Equal, but for the mean and the standard deviation, which a merge of partial moments computes in another
    /// order (relative 1e-9), and top values once Misra–Gries dropped counters (`exact` given: checked against it).
    static func expectSame(
        _ a: [String: Any], _ b: [String: Any], _ key: String, exact: [String: Int]? = nil
    ) {
        #expect(Set(a.keys) == Set(b.keys), "\(key): fields")
        let dropped = (a["top_error"] as? Int ?? 0) > 0 || (b["top_error"] as? Int ?? 0) > 0
        if dropped, let exact { expectWithinBound(a, exact: exact, key) }
        for field in a.keys.sorted() {
            if dropped && exact != nil && (field == "top" || field == "top_error") { continue }
            if field == "mean" || field == "std", let x = a[field] as? Double, let y = b[field] as? Double {
                #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(key) \(field): \(x) against \(y)")
            } else {
                #expect((a[field] as? NSObject) == (b[field] as? NSObject), "\(key) \(field)")
            }
        }
    }

    @Test func composedWindowsOfSeveralLateWritersEqualEachSizeAggregatedAlone() throws {
        var files: [String] = []
        var written: [[String]] = []
        for w in Self.skews.indices {
            let path = dir.file("w\(w).jsonl")
            written.append(Self.writerLines(w, records: w == 2 ? 200 : 600))
            try writeFile(path, written[w].joined(separator: "\n") + "\n")
            files.append(path)
        }
        let exact = try Self.exactCounts(written)
        let ten = WindowSpec(size: .seconds(10), allowedLateness: .seconds(1))
        let thirty = WindowSpec(size: .seconds(30), allowedLateness: .seconds(5))
        #expect(WindowSpec.feeds([ten, thirty]) == [1, nil])

        let composed = try replay(files, windows: [ten, thirty], into: "composed")
        let alone10 = Self.bySize(try replay(files, windows: [ten], into: "ten"), "10s")
        let alone30 = Self.bySize(try replay(files, windows: [thirty], into: "thirty"), "30s")
        let composed10 = Self.bySize(composed, "10s")
        let composed30 = Self.bySize(composed, "30s")

        // 600 records at 3 a second: 200 s, 20 windows of 10 s and 7 of 30 s (the clocks' skews add one at the
        // start), each with a window line and a line per feature.
        #expect(Set(composed10.keys) == Set(alone10.keys))
        #expect(Set(composed30.keys) == Set(alone30.keys))
        #expect(alone30.values.filter { $0["kind"] as? String == "window" }.count >= 7)
        for (key, line) in alone10 { Self.expectSame(composed10[key]!, line, key) }
        var merged = 0
        for (key, line) in alone30 {
            let feature = key.split(separator: " ").dropFirst().joined(separator: " ")
            Self.expectSame(composed30[key]!, line, key, exact: exact[feature] ?? [:])
            if (composed30[key]!["top_error"] as? Int ?? 0) > 0 { merged += 1 }
        }
        // The long-tail categoricals (2,000 merchants, the mcc codes) dropped counters in every 30 s window.
        #expect(merged >= 7)

        // The held-back lines made some records late for their 10 s window, none for their 30 s one: those went to
        // the 30 s windows directly.
        let windows10 = alone10.values.filter { $0["kind"] as? String == "window" }
        let windows30 = composed30.values.filter { $0["kind"] as? String == "window" }
        let late10 = windows10.reduce(0) { $0 + ($1["late"] as! Int) }
        #expect(late10 > 0)
        #expect(windows30.allSatisfy { $0["late"] as? Int == 0 })
        #expect(windows30.reduce(0) { $0 + ($1["records"] as! Int) } == 1400)
        #expect(windows10.reduce(0) { $0 + ($1["records"] as! Int) } == 1400 - late10)
    }
}
