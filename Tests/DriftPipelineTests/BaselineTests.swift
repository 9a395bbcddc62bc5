import DriftAlerts
import DriftConfig
import DriftCore
import DriftEvaluate
import DriftGenerate
import DriftPipeline
import DriftStats
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

/// Reference profiles built from generated logs, and drift measured against them.
@Suite struct BaselineTests {
    let dir = TemporaryDirectory()

    func config(window: Span, minCount: Int = 1000) -> DriftConfig {
        var c = DriftConfig(file: dir.file("driftd.yaml"))
        c.windows = [WindowSpec(size: window, allowedLateness: .seconds(5), minCount: minCount)]
        c.output.dir = dir.file("metrics")
        return c
    }

    func generate(_ name: String, records: Int, seed: UInt64, rate: Double, driftAfter: Int? = nil) throws -> (
        String, [String]
    ) {
        var options = SyntheticLog.Options()
        options.seed = seed
        options.rate = rate
        options.driftAfter = driftAfter
        var log = SyntheticLog(options: options)
        let path = dir.file(name)
        let writer = try LogFileWriter(path: path, options: LogFileWriter.Options())
        var lines: [String] = []
        for _ in 0..<records {
            let line = log.nextLine()
            lines.append(String(decoding: line, as: UTF8.self))
            try writer.write(line: line)
        }
        try writer.close()
        return (path, lines)
    }

    @Test func theProfileCountsEveryBinExactlyAndIsDeterministic() throws {
        let (path, lines) = try generate("ref.jsonl.zst", records: 20_000, seed: 1, rate: 100)
        let (profile, summary) = try Baseline(config: config(window: .seconds(60)), telemetry: quietTelemetry()).run(
            files: [path])
        #expect(summary.records == 20_000 && summary.rejected == 0)
        #expect(summary.chunks >= 3)
        let model = try #require(profile.models["fraud-v3"])
        #expect(model.features.count == 19)

        // Independent check: parse with Foundation, bin with the profile's edges by hand.
        let objects = lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let amounts = objects.map { ($0["features"] as! [String: Any])["amount"] as! Double }
        let amount = try #require(model.features["amount"])
        let edges = try #require(amount.bins?.edges)
        var expected = [Double](repeating: 0, count: edges.count + 1)
        for a in amounts { expected[edges.filter { $0 < a }.count] += 1 }
        #expect(amount.binCounts == expected)
        // The edges are the deciles, within the sketch's 1% rank error.
        let sorted = amounts.sorted()
        for (i, e) in edges.enumerated() {
            let rank = Double(sorted.filter { $0 <= e }.count) / Double(sorted.count)
            #expect(abs(rank - Double(i + 1) / 10) <= 0.01, "edge \(i)")
        }
        #expect(amount.min == sorted.first && amount.max == sorted.last)

        let countries = objects.map { ($0["features"] as! [String: Any])["country"] as! String }
        let country = try #require(model.features["country"])
        #expect(country.categories?.count == 20)
        for (i, c) in country.categories!.enumerated() {
            #expect(country.binCounts[i] == Double(countries.filter { $0 == c }.count), "\(c)")
        }
        #expect(country.binCounts.last == 0)
        let merchant = try #require(model.features["merchant_id"])
        #expect(merchant.categories?.count == ProfileBuilder.highCardinalityCategories)
        #expect(merchant.binCounts.reduce(0, +) == 20_000)
        #expect(merchant.knownFilter != nil || merchant.known != nil)
        let threshold = try #require(amount.thresholds["psi"])
        #expect(threshold > 0 && threshold < 0.1)
        // Recomputed independently of the baseline's chunking: the PSI of each window of the reference replayed
        // against its own profile, then mean + 3σ (sample standard deviation) over windows of min_count records.
        try profile.encoded().write(to: URL(fileURLWithPath: dir.file("reference.json")))
        var check = config(window: .seconds(60))
        check.reference = dir.file("reference.json")
        check.output.dir = dir.file("chunks")
        _ = try Replay(config: check, telemetry: quietTelemetry()).run(files: [path])
        let out = try splitLines(readFile(dir.file("chunks/metrics.jsonl"))).compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let full = Set(
            out.filter { $0["kind"] as? String == "window" && ($0["records"] as? Int ?? 0) >= 1000 }
                .map { $0["window_start"] as! String })
        let psis = out.filter {
            $0["feature"] as? String == "amount" && $0["model"] as? String == "fraud-v3"
                && full.contains($0["window_start"] as! String)
        }.compactMap { ($0["drift"] as? [String: Any])?["psi"] as? Double }
        #expect(psis.count == summary.chunks)
        let mean = psis.reduce(0, +) / Double(psis.count)
        let std = (psis.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(psis.count - 1)).squareRoot()
        #expect(abs(threshold - (mean + 3 * std)) < 1e-12, "threshold \(threshold), recomputed \(mean + 3 * std)")

        let (again, _) = try Baseline(config: config(window: .seconds(60)), telemetry: quietTelemetry()).run(files: [
            path
        ])
        #expect(try again.encoded() == profile.encoded(), "the same input gives a byte-identical profile")
    }

    /// Windows of at least 1,000 records drawn from the reference's own distribution: the default thresholds
    /// flag at most 5% of (window, feature) pairs. And when drift is injected, they flag the drifted features.
    @Test func defaultThresholdsRarelyFlagTheSameDistributionAndCatchInjectedDrift() throws {
        let (refPath, _) = try generate("ref.jsonl.zst", records: 30_000, seed: 11, rate: 120)
        let cfg = config(window: .seconds(10))
        let (profile, _) = try Baseline(config: cfg, telemetry: quietTelemetry()).run(files: [refPath])
        try ReferenceFile.save(profile, to: dir.file("reference.json"))
        var withReference = cfg
        withReference.reference = dir.file("reference.json")

        let (livePath, _) = try generate("live.jsonl.zst", records: 36_000, seed: 12, rate: 120, driftAfter: 18_000)
        _ = try Replay(config: withReference, telemetry: quietTelemetry()).run(files: [livePath])
        let rows = try splitLines(readFile(dir.file("metrics/metrics.jsonl")))
            .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let windows = Dictionary(
            rows.filter { $0["kind"] as? String == "window" }.map {
                ($0["window_start"] as! String, $0["records"] as! Int)
            },
            uniquingKeysWith: { a, _ in a })
        let driftStart = "2026-11-26T00:02:30Z"  // record 18,000 at 120/s; windows from here on are drifted
        var stablePairs = 0
        var stableFlagged = 0
        var driftedHits: [String: Int] = [:]
        var driftedWindows = 0
        for f in rows where f["kind"] as? String == "feature" {
            let start = f["window_start"] as! String
            let records = windows[start]!
            guard let drift = f["drift"] as? [String: Any] else { continue }
            // The histogram on the reference's bins holds every valid value of the window.
            let histogram = try #require(f["histogram"] as? [Int])
            #expect(histogram.reduce(0, +) == f["count"] as! Int, "\(f["feature"]!)")
            guard records >= 1000 else { continue }
            let values = DriftValues(
                psi: drift["psi"] as? Double, js: drift["js"] as? Double,
                wassersteinNorm: drift["wasserstein_norm"] as? Double, chi2P: drift["chi2_p"] as? Double)
            let flagged = !DefaultThresholds.crossed(values, records: records).isEmpty
            if start < "2026-11-26T00:02:20Z" {
                stablePairs += 1
                if flagged { stableFlagged += 1 }
            } else if start >= driftStart {
                if f["feature"] as? String == "amount" { driftedWindows += 1 }
                if flagged { driftedHits[f["feature"] as! String, default: 0] += 1 }
                let missingChange = drift["missing_rate_change"] as? Double ?? 0
                if f["feature"] as? String == "channel" { #expect(missingChange > 0.15, "channel nulls 2% → 25%") }
            }
        }
        #expect(stablePairs >= 200)
        #expect(Double(stableFlagged) <= 0.05 * Double(stablePairs), "\(stableFlagged) of \(stablePairs) flagged")
        // Power: the drifted distributions are flagged in every drifted window.
        for feature in ["amount", "score_b", "country"] {
            #expect(
                driftedHits[feature] == driftedWindows, "\(feature): \(driftedHits[feature] ?? 0) of \(driftedWindows)")
        }
    }

    /// Rules over a replay with drift injected: alerts fire for the drifted features, for no stable one, and the
    /// metric file says so between each window's feature lines and its window line.
    @Test func alertsFireForTheDriftedFeaturesOnly() throws {
        let (refPath, _) = try generate("ref.jsonl.zst", records: 20_000, seed: 21, rate: 100)
        var cfg = config(window: .seconds(30), minCount: 1000)
        let (profile, _) = try Baseline(config: cfg, telemetry: quietTelemetry()).run(files: [refPath])
        try ReferenceFile.save(profile, to: dir.file("reference.json"))
        cfg.reference = dir.file("reference.json")
        cfg.rules = [
            try AlertRule(
                name: "FeatureDrift", expr: "psi > 0.2",
                features: SyntheticLog.driftedFeatures + SyntheticLog.stableFeatures, forWindows: 2),
            try AlertRule(name: "MissingRateUp", expr: "missing_rate_change > 0.1"),
        ]
        let (livePath, _) = try generate("live.jsonl.zst", records: 24_000, seed: 22, rate: 100, driftAfter: 12_000)
        let summary = try Replay(config: cfg, telemetry: quietTelemetry()).run(files: [livePath])
        let lines = try splitLines(readFile(dir.file("metrics/metrics.jsonl")))
        let alerts = lines.compactMap { line -> [String: Any]? in
            let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return o?["kind"] as? String == "alert" ? o : nil
        }
        let fired = Set(alerts.filter { $0["alertname"] as? String == "FeatureDrift" }.map { $0["feature"] as! String })
        #expect(fired == ["amount", "score_b", "country"], "\(fired)")
        let missing = Set(
            alerts.filter { $0["alertname"] as? String == "MissingRateUp" }.map { $0["feature"] as! String })
        #expect(missing == ["channel"], "channel's nulls go from 2% to 25%")
        #expect(summary.alertsFired == fired.count + missing.count)
        // An alert line sits between its window's feature lines and its window line.
        let first = try #require(lines.firstIndex { $0.contains(#""kind":"alert""#) })
        #expect(lines[first - 1].contains(#""kind":"feature""#) || lines[first - 1].contains(#""kind":"alert""#))
        #expect(lines[(first + 1)...].first { !$0.contains(#""kind":"alert""#) }?.contains(#""kind":"window""#) == true)
        #expect(alerts.allSatisfy { ($0["labels"] as? [String: String])?["window"] == "30s" })
    }
}
