import DriftConfig
import DriftCore
import DriftPipeline
import DriftStats
import DriftTestSupport
import Foundation
import Testing

/// Performance estimated without labels (CBPE), against NannyML's own estimates on the same logs:
/// `scripts/cbpe_fixture.py` generated the reference (labeled) and twelve hours of unlabeled, shifting scores,
/// ran NannyML 0.13.1's CBPE on them and committed its per-hour estimates beside them.
@Suite struct EstimatedPerformanceTests {
    let dir = TemporaryDirectory()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cbpe")

    @Test func baselineCalibratesAndEachHourMatchesNannyMLsCBPE() throws {
        var config = try ConfigLoader.parse(
            yaml: "inputs: [{path: a}]\nwindows: [{size: 1h, allowed_lateness: 1m}]\n", file: dir.file("driftd.yaml"))
        config.output.dir = dir.file("metrics")
        let (profile, _) = try Baseline(config: config, telemetry: quietTelemetry()).run(files: [
            Self.fixtures.appendingPathComponent("reference.jsonl.zst").path
        ])
        let calibration = try #require(profile.models["fraud"]?.calibration, "a binary classifier gets a calibration")
        #expect(calibration.scores.count > 10 && calibration.probabilities == calibration.probabilities.sorted())
        try profile.encoded().write(to: URL(fileURLWithPath: dir.file("reference.json")))
        config.reference = dir.file("reference.json")
        _ = try Replay(config: config, telemetry: quietTelemetry()).run(files: [
            Self.fixtures.appendingPathComponent("analysis.jsonl.zst").path
        ])

        let expected = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("expected.json")))
                as? [String: Any])
        #expect(expected["needs_calibration"] as? Bool == true, "NannyML calibrated too")
        let chunks = try #require(expected["chunks"] as? [[String: Any]])
        let windows = try splitLines(readFile(dir.file("metrics/metrics.jsonl"))).compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["kind"] as? String == "window" }
        #expect(windows.count == chunks.count)
        var worst: [String: Double] = [:]
        for chunk in chunks {
            let start = EventTime(nanoseconds: Int64(chunk["window_start"] as! Int) * 1_000_000_000).rfc3339
            let window = try #require(windows.first { $0["window_start"] as? String == start }, "\(start)")
            let estimated = try #require(window["estimated"] as? [String: Any], "\(window)")
            #expect(estimated["records"] as? Int == chunk["records"] as? Int)
            for metric in ["accuracy", "precision", "recall", "f1", "roc_auc"] {
                let got = try #require(estimated[metric] as? Double)
                let want = try #require(chunk[metric] as? Double)
                worst[metric] = max(worst[metric] ?? 0, abs(got - want))
                #expect(abs(got - want) <= 0.02, "\(start) \(metric): driftd \(got), NannyML \(want)")
            }
        }
        print("largest difference from NannyML per measure: \(worst.sorted { $0.key < $1.key })")
    }
}
