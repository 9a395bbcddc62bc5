import DriftConfig
import DriftCore
import DriftPipeline
import DriftTestSupport
import Foundation
import Testing

/// The drift values of a replay's metric lines against a reference made by `baseline`, each computed exactly in
/// the test from the same values: `out_of_range`, `wasserstein` and `wasserstein_norm`, `missing_rate_change`,
/// `unseen`, and the top values cut to 200 bytes. Fewer than 400 values per side, so every sketch is exact.
@Suite struct DriftEndToEndTests {
    let dir = TemporaryDirectory()
    static let start: Int64 = 1_795_651_200

    /// Wasserstein-1 between two empirical distributions: the area between their CDFs.
    static func wasserstein(_ a: [Double], _ b: [Double]) -> Double {
        let xs = Set(a + b).sorted()
        var area = 0.0
        for i in 0..<(xs.count - 1) {
            let fa = Double(a.filter { $0 <= xs[i] }.count) / Double(a.count)
            let fb = Double(b.filter { $0 <= xs[i] }.count) / Double(b.count)
            area += abs(fa - fb) * (xs[i + 1] - xs[i])
        }
        return area
    }

    func write(_ name: String, _ values: [Double?], _ categories: [String], offset: Int64) throws -> String {
        let lines = values.enumerated().map { i, v in
            let x = v.map { "\($0)" } ?? "null"
            return #"{"ts":\#(Self.start + offset + Int64(i)),"features":{"x":\#(x),"c":"\#(categories[i])"}}"#
        }
        try writeFile(dir.file(name), lines.joined(separator: "\n") + "\n")
        return dir.file(name)
    }

    @Test func driftValuesOfAReplayEqualTheirExactComputation() throws {
        var rng = SeededGenerator(seed: 31)
        // Reference: 300 values of x in [10, 20) with 10% missing; c from five values.
        let refX: [Double?] = (0..<300).map { i in i % 10 == 0 ? nil : 10 + (rng.unit() * 1000).rounded() / 100 }
        let refC = (0..<300).map { _ in ["a", "b", "c", "d", "e"][Int(rng.unit() * 5)] }
        // Window: shifted values, some beyond the reference's range, 20% missing; c with unseen values and a
        // 300-byte one.
        let long = String(repeating: "é", count: 150)  // 300 bytes
        let winX: [Double?] = (0..<250).map { i in i % 5 == 0 ? nil : 12 + (rng.unit() * 1000).rounded() / 100 }
        let winC: [String] = (0..<250).map { (i: Int) -> String in
            if i % 7 == 0 { return "new\(i % 3)" }
            if i % 11 == 0 { return long }
            return i % 2 == 0 ? "a" : "b"
        }
        var config = try ConfigLoader.parse(
            yaml: "inputs: [{path: a}]\nwindows: [{size: 1h, allowed_lateness: 1m}]\n", file: dir.file("driftd.yaml"))
        config.output.dir = dir.file("metrics")
        let (profile, _) = try Baseline(config: config, telemetry: quietTelemetry()).run(files: [
            try write("ref.jsonl", refX, refC, offset: 0)
        ])
        try profile.encoded().write(to: URL(fileURLWithPath: dir.file("reference.json")))
        config.reference = dir.file("reference.json")
        _ = try Replay(config: config, telemetry: quietTelemetry()).run(files: [
            try write("win.jsonl", winX, winC, offset: 3600)
        ])
        let lines = try splitLines(readFile(dir.file("metrics/metrics.jsonl"))).compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let x = try #require(lines.first { $0["feature"] as? String == "x" })
        let c = try #require(lines.first { $0["feature"] as? String == "c" })
        let xDrift = try #require(x["drift"] as? [String: Any])

        let ref = refX.compactMap { $0 }
        let win = winX.compactMap { $0 }
        let (lo, hi) = (ref.min()!, ref.max()!)
        let outOfRange = Double(win.filter { $0 < lo || $0 > hi }.count) / Double(win.count)
        let w1 = Self.wasserstein(ref, win)
        let mean = ref.reduce(0, +) / Double(ref.count)
        let populationStd = (ref.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(ref.count)).squareRoot()
        let missingChange = Double(winX.count - win.count) / 250 - Double(refX.count - ref.count) / 300
        func close(_ a: Any?, _ b: Double) -> Bool {
            (a as? Double).map { abs($0 - b) <= 1e-9 * max(1, abs(b)) } ?? false
        }
        #expect(outOfRange > 0)
        #expect(
            close(xDrift["out_of_range"], outOfRange), "out_of_range \(xDrift["out_of_range"] ?? "nil") \(outOfRange)")
        #expect(close(xDrift["wasserstein"], w1), "wasserstein \(xDrift["wasserstein"] ?? "nil") \(w1)")
        #expect(
            close(xDrift["wasserstein_norm"], w1 / populationStd),
            "wasserstein_norm \(xDrift["wasserstein_norm"] ?? "nil") \(w1 / populationStd)")
        #expect(close(xDrift["missing_rate_change"], missingChange), "missing_rate_change \(xDrift) \(missingChange)")
        let unseen = winC.filter { !Set(refC).contains($0) }.count
        #expect(c["unseen"] as? Int == unseen, "unseen \(c["unseen"] ?? "nil") \(unseen)")
        // The 300-byte value is among the top values, cut to 200 bytes (100 two-byte characters).
        let top = try #require(c["top"] as? [[String: Any]])
        let values = top.compactMap { $0["value"] as? String }
        #expect(values.contains(String(repeating: "é", count: 100)), "\(values)")
        #expect(values.allSatisfy { $0.utf8.count <= 200 })
    }
}
