import DriftConfig
import DriftCore
import DriftPipeline
import DriftTestSupport
import Foundation
import Testing

/// A schema change upstream — an integer id that becomes a string half-way through — leaves the feature with no
/// valid value; the shipped rules must say so (it used to show `count 0, invalid 1500` in every window, silently).
@Suite struct TypeFlipTests {
    let dir = TemporaryDirectory()

    @Test func aFeatureWhoseValuesChangeTypeFiresTheDefaultRule() throws {
        var config = try ConfigLoader.parse(
            yaml: "inputs: [{path: a}]\nwindows: [{size: 1m}]\n" + DefaultRules.yaml, file: dir.file("driftd.yaml"))
        config.output.dir = dir.file("metrics")
        // 10 minutes at 5 records a second; from minute 5 on, merchant_category is sent as a string.
        let start: Int64 = 1_795_651_200
        let lines = (0..<3000).map { i in
            let category = i < 1500 ? "\(5000 + i % 7)" : "\"mc_\(5000 + i % 7)\""
            return
                #"{"ts": \#(start + Int64(i / 5)), "model": "m", "features": {"merchant_category": \#(category), "amount": \#(Double(i % 100) + 0.5)}}"#
        }
        let path = dir.file("app.jsonl")
        try writeFile(path, lines.joined(separator: "\n") + "\n")
        _ = try Replay(config: config, telemetry: quietTelemetry()).run(files: [path])
        let objects = try splitLines(readFile(dir.file("metrics/metrics.jsonl"))).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let fired = objects.filter { $0["kind"] as? String == "alert" && $0["alertname"] as? String == "InvalidValues" }
        let first = try #require(fired.first, "InvalidValues never fired")
        #expect(Set(fired.map { $0["feature"] as? String }) == ["merchant_category"])
        // The flip is at 00:05:00; `for: 2` fires with the second window after it.
        #expect(first["window_start"] as? String == "2026-11-26T00:06:00Z", "\(first)")
        let after = objects.filter {
            $0["kind"] as? String == "feature" && $0["feature"] as? String == "merchant_category"
                && ($0["window_start"] as? String ?? "") >= "2026-11-26T00:05:00Z"
        }
        #expect(after.count == 5 && after.allSatisfy { $0["count"] as? Int == 0 && $0["invalid"] as? Int == 300 })
    }
}
