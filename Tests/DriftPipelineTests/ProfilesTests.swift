import DriftConfig
import DriftCore
import DriftGenerate
import DriftPipeline
import DriftStats
import DriftTestSupport
import Foundation
import Testing

/// `output.profiles`: the profile lines of one replay agree with its metric lines, DataSketches reads every sketch,
/// and the profiles of four instances, each fed a quarter of the records, merge into the statistics of all of
/// them — counts and moments exactly, quantiles and distinct counts within their bounds (DESIGN §6).
@Suite struct ProfilesTests {
    let dir = TemporaryDirectory()

    func replay(_ lines: [String], instance: String, into out: String) throws {
        var config = try ConfigLoader.parse(
            yaml: "inputs: [{path: a}]\nwindows: [{size: 5m}]\noutput: {profiles: true, instance: \(instance)}\n",
            file: dir.file("driftd.yaml"))
        config.output.dir = dir.file(out)
        let input = dir.file(out + ".jsonl")
        try writeFile(input, lines.joined(separator: "\n") + "\n")
        _ = try Replay(config: config, telemetry: quietTelemetry()).run(files: [input])
    }

    func objects(_ path: String) throws -> [[String: Any]] {
        try splitLines(readFile(path)).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    static func key(_ o: [String: Any]) -> String {
        "\(o["model"]!) \(o["window_start"]!) \(o["feature"]!)"
    }

    static func bytes(_ sketch: Any?) -> [UInt8] {
        Array(Data(base64Encoded: (sketch as! [String: Any])["b64"] as! String)!)
    }

    @Test func profilesAgreeWithMetricsAndFourInstancesMergeIntoOne() throws {
        var options = SyntheticLog.Options()
        options.models = ["fraud-v3", "churn-v1"]
        options.rate = 20
        options.merchants = 3000
        var log = SyntheticLog(options: options)
        let lines = (0..<16_000).map { _ in String(decoding: log.nextLine(), as: UTF8.self) }
        try replay(lines, instance: "all", into: "all")
        for i in 0..<4 {
            try replay(
                lines.enumerated().filter { $0.offset % 4 == i }.map(\.element), instance: "i\(i)", into: "i\(i)")
        }

        // One replay: every profile line has its metric line's counts, extremes and type.
        let metrics = Dictionary(
            try objects(dir.file("all/metrics.jsonl")).filter { $0["kind"] as? String == "feature" }.map {
                (Self.key($0), $0)
            }, uniquingKeysWith: { a, _ in a })
        let profiles = try objects(dir.file("all/profiles.jsonl"))
        #expect(Set(profiles.map(Self.key)) == Set(metrics.keys))
        for p in profiles {
            let m = try #require(metrics[Self.key(p)])
            #expect(p["schema"] as? String == "driftd.profile.v1" && p["instance"] as? String == "all")
            for (pf, mf) in [("n", "count"), ("missing", "missing"), ("invalid", "invalid"), ("type", "type")] {
                #expect(p[pf] as? NSObject == m[mf] as? NSObject, "\(Self.key(p)) \(pf)")
            }
            if p["type"] as? String == "numeric" {
                #expect(p["min"] as? Double == m["min"] as? Double && p["max"] as? Double == m["max"] as? Double)
            }
        }

        // Four instances merged, against the exact statistics of all the records.
        let exact = ExactStatistics(lines: lines, windowSeconds: 300)
        var merged:
            [String: (
                n: Int, missing: Int, finite: Int, sum: Double, sumSq: Double, shift: Double,
                kll: DataSketchesKLL, hll: HLL8Sketch, instances: Set<String>
            )] = [:]
        let parts = try (0..<4).flatMap { try objects(dir.file("i\($0)/profiles.jsonl")) }
        for p in parts {
            let key = Self.key(p)
            var m = merged[key] ?? (0, 0, 0, 0, 0, 0, DataSketchesKLL(), HLL8Sketch(), [])
            m.n += p["n"] as! Int
            m.missing += p["missing"] as! Int
            m.finite += (p["n"] as! Int) - (p["non_finite"] as? Int ?? 0)
            m.sum += p["sum"] as! Double
            m.sumSq += p["sum_sq"] as! Double
            m.shift = p["shift"] as! Double
            if p["kll"] is [String: Any] { m.kll.merge(try DataSketchesKLL(image: Self.bytes(p["kll"]))) }
            m.hll.merge(try HLL8Sketch(image: Self.bytes(p["hll"])))
            m.instances.insert(p["instance"] as! String)
            merged[key] = m
        }
        #expect(Set(merged.keys) == Set(metrics.keys))
        var checked = (quantiles: 0, distinct: 0)
        for (key, m) in merged {
            let full = try #require(metrics[key])
            #expect(m.n == full["count"] as? Int && m.missing == full["missing"] as? Int, "\(key)")
            let parts = key.split(separator: " ")
            let start = Int64((ISO8601DateFormatter().date(from: String(parts[1]))!.timeIntervalSince1970 * 1000))
            let values = exact.values[.init(model: String(parts[0]), windowStart: start, feature: String(parts[2]))]
            guard let values else { continue }
            if full["type"] as? String == "numeric", m.finite > 1 {
                let mean = m.shift + m.sum / Double(m.finite)
                #expect(abs(mean - ExactStatistics.mean(values.numbers)) <= 1e-9 * max(1, abs(mean)), "\(key)")
                let variance = (m.sumSq - m.sum * m.sum / Double(m.finite)) / Double(m.finite - 1)
                let std = try #require(ExactStatistics.std(values.numbers))
                #expect(abs(variance.squareRoot() - std) <= 1e-6 * max(std, 1e-9), "\(key)")
                #expect(m.kll.n == values.numbers.count)
                let sorted = values.numbers.sorted()
                for q in [0.01, 0.25, 0.5, 0.75, 0.99] {
                    let v = try #require(m.kll.quantile(q))
                    // The rank of v lies within 2% of q (k = 200: DataSketches' bound is 1.65% at 99%).
                    let below = Double(sorted.prefix { $0 < v }.count) / Double(sorted.count)
                    let atOrBelow = Double(sorted.prefix { $0 <= v }.count) / Double(sorted.count)
                    #expect(q >= below - 0.02 && q <= atOrBelow + 0.02, "\(key) q\(q)")
                }
                checked.quantiles += 1
            }
            if full["type"] as? String == "categorical" {
                let distinct = Double(Set(values.strings).count)
                #expect(
                    abs(m.hll.estimate - distinct) <= max(0.03 * distinct, 1), "\(key) \(m.hll.estimate) \(distinct)")
                checked.distinct += 1
            }
            // Records go to the instances in turn: a window of at least four records has lines of all four.
            let records = exact.records[String(parts[0])]?[start] ?? 0
            #expect(m.instances.count == min(4, records), "\(key) \(m.instances)")
        }
        #expect(checked.quantiles > 10 && checked.distinct > 10, "\(checked)")

        // DataSketches reads every sketch of every instance.
        let python = try #require(which("python3"), "python3 is missing")
        let check = try runProcess(
            python,
            [packageRoot() + "/scripts/make_sketch_fixture.py", "--check-profiles", dir.file("all/profiles.jsonl")]
                + (0..<4).map { dir.file("i\($0)/profiles.jsonl") })
        #expect(check.status == 0, "\(check.stdoutText)\n\(check.stderr)")
    }
}
