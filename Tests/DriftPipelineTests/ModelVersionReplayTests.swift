import DriftConfig
import DriftCore
import DriftPipeline
import DriftTestSupport
import Foundation
import Testing

/// With `schema.model_version`, two versions of one model served side by side (a canary) get windows of their
/// own, and every line and alert says which version it is about.
@Suite struct ModelVersionReplayTests {
    let dir = TemporaryDirectory()

    @Test func eachVersionHasItsOwnWindowsLinesAndAlerts() throws {
        var config = try ConfigLoader.parse(
            yaml: """
                inputs: [{path: a}]
                schema: {model_version: meta.version}
                windows: [{size: 1m, min_count: 1}]
                rules: [{alert: Big, expr: "max > 90", features: [x]}]
                """, file: dir.file("driftd.yaml"))
        config.output.dir = dir.file("metrics")
        let start: Int64 = 1_795_651_200
        // Three minutes; every third record is the canary "2.0", whose x runs high; some records carry no version.
        var expected: [String: Int] = [:]  // "minute version" → records
        let lines = (0..<900).map { i -> String in
            let version = i % 3 == 0 ? "\"2.0\"" : i % 10 == 1 ? "null" : "\"1.0\""
            let x = i % 3 == 0 ? 95 : i % 50
            expected["\(i / 300) \(version)", default: 0] += 1
            return
                #"{"ts": \#(start + Int64(i / 5)), "model": "m", "meta": {"version": \#(version)}, "features": {"x": \#(x)}}"#
        }
        try writeFile(dir.file("app.jsonl"), lines.joined(separator: "\n") + "\n")
        _ = try Replay(config: config, telemetry: quietTelemetry()).run(files: [dir.file("app.jsonl")])
        let objects = try splitLines(readFile(dir.file("metrics/metrics.jsonl"))).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        func version(_ o: [String: Any]) -> String {
            (o["model_version"] as? String).map { "\"\($0)\"" } ?? "null"
        }
        let windows = objects.filter { $0["kind"] as? String == "window" }
        var got: [String: Int] = [:]
        for w in windows {
            let minute = Int((w["window_start"] as! String).dropFirst(14).prefix(2))!
            got["\(minute) \(version(w))"] = w["records"] as? Int
            #expect(w["model"] as? String == "m")
        }
        #expect(got == expected)
        for f in objects where f["kind"] as? String == "feature" {
            let w = windows.first {
                $0["window_start"] as? String == f["window_start"] as? String && version($0) == version(f)
            }
            #expect(w != nil, "a feature line with its window's version: \(f)")
        }
        let alerts = objects.filter { $0["kind"] as? String == "alert" }
        #expect(!alerts.isEmpty && alerts.allSatisfy { $0["model_version"] as? String == "2.0" }, "\(alerts)")
        #expect(alerts.allSatisfy { ($0["labels"] as? [String: String])?["model_version"] == "2.0" })
    }
}
