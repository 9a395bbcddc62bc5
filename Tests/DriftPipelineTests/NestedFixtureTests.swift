import DriftConfig
import DriftCore
import DriftPipeline
import DriftTestSupport
import Foundation
import Testing

/// Logs as a Python service writes them — naive Paris times across the end of summer time, the model under
/// `service.model.name`, features nested under `request`, arrays of strings, numbers and both, nulls, wrong types
/// and an object deeper than `flatten_depth` — replayed, and every feature line compared with the statistics that
/// `scripts/nested_fixture.py` computed from the same file with Python's json and zoneinfo (committed beside it).
@Suite struct NestedFixtureTests {
    let dir = TemporaryDirectory()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func everyFlattenedNameAndArrayFeatureEqualsTheIndependentComputation() throws {
        var config = try ConfigLoader.parse(
            yaml: """
                inputs: [{path: a}]
                schema:
                  timestamp: "@timestamp"
                  model: service.model.name
                  features: request
                  prediction: null
                  actual: null
                  timezone: Europe/Paris
                windows: [{size: 1h, allowed_lateness: 2h}]
                """, file: dir.file("driftd.yaml"))
        config.output.dir = dir.file("metrics")
        let input = Self.fixtures.appendingPathComponent("nested.jsonl").path
        let summary = try Replay(config: config, telemetry: quietTelemetry()).run(files: [input])
        #expect(summary.records == 500 && summary.rejected == 0 && summary.late == 0)

        let expected = try #require(
            JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.fixtures.appendingPathComponent("nested.expected.json")))
                as? [[String: Any]])
        let lines = try splitLines(readFile(dir.file("metrics/metrics.jsonl"))).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        func key(_ o: [String: Any]) -> String {
            "\(o["model"] as? String ?? "?") \(o["window_start"] as? String ?? "?") \(o["feature"] as? String ?? "?")"
        }
        let got = Dictionary(
            lines.filter { $0["kind"] as? String == "feature" }.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        // Every name, and no other: the same set of (model, window, feature).
        let want = Set(expected.map(key))
        #expect(
            Set(got.keys) == want,
            "extra \(Set(got.keys).subtracting(want).sorted()), missing \(want.subtracting(got.keys).sorted())")
        for w in lines where w["kind"] as? String == "window" {
            let records =
                expected.first {
                    $0["model"] as? String == w["model"] as? String
                        && $0["window_start"] as? String == w["window_start"] as? String
                }?["records"] as? Int
            #expect(w["records"] as? Int == records, "\(w)")
        }
        for e in expected {
            let context = key(e)
            let f = try #require(got[context], "\(context)")
            for field in ["type", "count", "missing", "invalid"] {
                #expect(f[field] as? NSObject == e[field] as? NSObject, "\(context) \(field)")
            }
            if let mean = e["mean"] as? Double {
                #expect(abs((f["mean"] as? Double ?? .nan) - mean) <= 1e-12 * max(1, abs(mean)), "\(context)")
                #expect(f["min"] as? Double == e["min"] as? Double && f["max"] as? Double == e["max"] as? Double)
            }
            if let values = e["values"] as? [String: Int] {
                // At most ten values per feature in the fixture: `top` is every value, exactly.
                let top = (f["top"] as? [[String: Any]] ?? []).map { ($0["value"] as! String, $0["count"] as! Int) }
                #expect(Dictionary(uniqueKeysWithValues: top) == values, "\(context)")
                #expect(f["distinct"] as? Int == values.count && f["top_error"] as? Int == 0, "\(context)")
            }
        }
        // What the fixture is there to cover.
        let names = Set(expected.map { $0["feature"] as! String })
        #expect(
            names.isSuperset(of: [
                "customer.age", "customer.address.geo.lat", "customer.devices.length", "customer.devices[]",
                "tags.length", "tags[]", "scores.length", "deep.a.b.c.d", "usage", "usage.calls",
            ]), "\(names.sorted())")
    }
}
