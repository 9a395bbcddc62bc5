import DriftTestSupport
import Foundation
import Testing

/// A schema change upstream, as `driftd replay` and `driftd run` see it with the shipped rules and a reference:
/// from 00:05 on, an integer id is sent as a string and a nested field appears. Both used to pass in silence.
@Suite(.serialized) struct SchemaChangeTests {
    let dir = TemporaryDirectory("driftd-schema")
    let driftd = driftdExecutable()
    static let start: Int64 = 1_795_651_200  // 2026-11-26T00:00:00Z

    /// Ten minutes at five records a second; `changed` from minute 5 on.
    static func line(_ i: Int) -> String {
        let changed = i >= 1500
        let category = changed ? "\"mc_\(5000 + i % 7)\"" : "\(5000 + i % 7)"
        let device = changed ? #", "device": {"os": "ios"}"# : ""
        return
            #"{"ts": \#(start + Int64(i / 5)), "model": "m", "features": {"merchant_category": \#(category), "amount": \#(Double(i % 100) + 0.5), "request": {"channel": "web"\#(device)}}}"#
    }

    func setUp() throws -> String {
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("rules"), withIntermediateDirectories: true)
        try writeFile(dir.file("rules/default.yaml"), try readFile(packageRoot() + "/Config/rules/default.yaml"))
        try writeFile(dir.file("ref.jsonl"), (0..<1500).map(Self.line).joined(separator: "\n") + "\n")
        let config = dir.file("driftd.yaml")
        try writeFile(
            config,
            """
            inputs: [{path: "logs/*.jsonl"}]
            windows: [{size: 1m, allowed_lateness: 0s, idle_timeout: 1h, min_count: 10}]
            reference: ref.json
            output: {dir: out}
            state_dir: state
            rule_files: [rules/default.yaml]
            """)
        let b = try runProcess(
            driftd, ["baseline", "--config", config, "--output", dir.file("ref.json"), dir.file("ref.jsonl")])
        #expect(b.status == 0, "\(b.stderr)")
        try writeFile(dir.file("logs/app.jsonl"), (0..<3000).map(Self.line).joined(separator: "\n") + "\n")
        return config
    }

    func lines() throws -> [[String: Any]] {
        try splitLines(readFile(dir.file("out/metrics.jsonl"))).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// The first window each alert fired in, by alert name and feature.
    func firstFirings(_ lines: [[String: Any]]) -> [String: String] {
        var first: [String: String] = [:]
        for o in lines where o["kind"] as? String == "alert" && o["state"] as? String == "firing" {
            let key = "\(o["alertname"] as? String ?? "?")/\(o["feature"] as? String ?? "")"
            if first[key] == nil { first[key] = o["window_start"] as? String }
        }
        return first
    }

    func check(_ lines: [[String: Any]]) {
        let first = firstFirings(lines)
        // `for: 1`: the first window after the change; InvalidValues (`for: 2`) one later.
        #expect(first["FeatureTypeChanged/merchant_category"] == "2026-11-26T00:05:00Z", "\(first)")
        #expect(first["NewFeatures/"] == "2026-11-26T00:05:00Z", "\(first)")
        #expect(first["InvalidValues/merchant_category"] == "2026-11-26T00:06:00Z", "\(first)")
        #expect(first.keys.allSatisfy { !$0.hasPrefix("FeatureTypeChanged/") || $0.hasSuffix("/merchant_category") })
        let windows = lines.filter { $0["kind"] as? String == "window" }
        for w in windows {
            let changed = (w["window_start"] as? String ?? "") >= "2026-11-26T00:05:00Z"
            #expect(w["new_features"] as? [String] == (changed ? ["request.device.os"] : []), "\(w)")
            #expect(w["new_feature_count"] as? Int == (changed ? 1 : 0))
        }
        let flipped = lines.filter {
            $0["kind"] as? String == "feature" && $0["feature"] as? String == "merchant_category"
                && ($0["window_start"] as? String ?? "") >= "2026-11-26T00:05:00Z"
        }
        #expect(!flipped.isEmpty && flipped.allSatisfy { $0["observed_type"] as? String == "categorical" })
    }

    @Test func replayFiresTheShippedRulesOnATypeFlipAndANewField() throws {
        let config = try setUp()
        let r = try runProcess(driftd, ["replay", "--config", config, dir.file("logs/app.jsonl")])
        #expect(r.status == 0, "\(r.stderr)")
        let all = try lines()
        #expect(all.filter { $0["kind"] as? String == "window" }.count == 10)
        check(all)
    }

    @Test func runFiresTheShippedRulesOnATypeFlipAndANewField() throws {
        let config = try setUp()
        _ = FileManager.default.createFile(atPath: dir.file("run.log"), contents: nil)
        let run = try startProcess(driftd, ["run", "--config", config], stderr: dir.file("run.log"))
        #expect(waitFor(30) { checkpointedRecords(in: dir.file("state")) == 3000 })
        #expect(stopProcess(run) == 0)
        let all = try lines()
        // The watermark closes nine windows; the tenth stays open.
        #expect(all.filter { $0["kind"] as? String == "window" }.count == 9)
        check(all)
    }
}
