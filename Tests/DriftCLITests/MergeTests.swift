import DriftTestSupport
import Foundation
import Testing

/// `driftd merge`: four instances' 5-minute profiles, merged into hours, say what one replay of all the records
/// with hour windows says — the same counts and histograms, moments to rounding, PSI and its alerts exactly, the
/// sketch-based measures within their bounds (DESIGN §6, §9).
@Suite(.serialized) struct MergeTests {
    let dir = TemporaryDirectory("driftd-merge")
    let driftd = driftdExecutable()

    func config(_ name: String, window: String, extra: String = "") throws -> String {
        let path = dir.file(name)
        try writeFile(
            path,
            """
            inputs: [{path: x}]
            windows: [{size: \(window), min_count: 10}]
            reference: ref.json
            output: {dir: out}
            rules:
              - {alert: Drift, expr: "psi >= 0.2", severity: critical}
              - {alert: Missing, expr: "missing_rate > 0.05"}
            \(extra)
            """)
        return path
    }

    func objects(_ path: String) throws -> [[String: Any]] {
        try splitLines(readFile(path)).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    static func key(_ o: [String: Any]) -> String {
        "\(o["model"] ?? "") \(o["window_start"] ?? "") \(o["feature"] ?? "") \(o["alertname"] ?? "")"
    }

    @Test func fourInstancesMergedIntoHoursSayWhatOneReplaySays() throws {
        let gen = try runProcess(
            driftd,
            ["generate", "--output", dir.file("ref.jsonl"), "--records", "20000", "--rate", "10", "--seed", "1"])
        #expect(gen.status == 0, "\(gen.stderr)")
        let c1h = try config("c1h.yaml", window: "1h")
        let b = try runProcess(
            driftd, ["baseline", "--config", c1h, "--output", dir.file("ref.json"), dir.file("ref.jsonl")])
        #expect(b.status == 0, "\(b.stderr)")
        // Three and a half hours at 5 records a second; drift from the second hour on.
        let live = try runProcess(
            driftd,
            [
                "generate", "--output", dir.file("live.jsonl"), "--records", "63000", "--rate", "5", "--seed", "2",
                "--drift-after", "20000",
            ])
        #expect(live.status == 0, "\(live.stderr)")
        let lines = splitLines(try readFile(dir.file("live.jsonl")))
        for i in 0..<4 {
            let part = lines.enumerated().filter { $0.offset % 4 == i }.map(\.element)
            try writeFile(dir.file("part\(i).jsonl"), part.joined(separator: "\n") + "\n")
            let c = try config("c5m-\(i).yaml", window: "5m", extra: "")
            try writeFile(
                c,
                String(decoding: try readFile(c), as: UTF8.self).replacingOccurrences(
                    of: "output: {dir: out}", with: "output: {dir: out, profiles: true, instance: pod-\(i)}"))
            let r = try runProcess(
                driftd, ["replay", "--config", c, "--output-dir", dir.file("i\(i)"), dir.file("part\(i).jsonl")])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let full = try runProcess(
            driftd, ["replay", "--config", c1h, "--output-dir", dir.file("full"), dir.file("live.jsonl")])
        #expect(full.status == 0, "\(full.stderr)")
        let m = try runProcess(
            driftd,
            [
                "merge", "--config", c1h, "--profiles", dir.file("i*/profiles.jsonl"), "--window", "1h",
                "--output-dir", dir.file("merged"),
            ])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.stderr.contains("0 refused"), "\(m.stderr)")

        let want = try objects(dir.file("full/metrics.jsonl"))
        let got = try objects(dir.file("merged/metrics.jsonl"))
        let byKey = Dictionary(got.map { (Self.key($0) + "\($0["kind"]!)", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(got.map { Self.key($0) + "\($0["kind"]!)" }) == Set(want.map { Self.key($0) + "\($0["kind"]!)" }))
        var compared = 0
        for w in want {
            let k = Self.key(w) + "\(w["kind"]!)"
            let g = try #require(byKey[k], "\(k)")
            switch w["kind"] as? String {
            case "window":
                #expect(g["records"] as? Int == w["records"] as? Int, "\(k)")
            case "feature":
                for field in ["type", "count", "missing", "invalid", "histogram", "unseen"] {
                    #expect(g[field] as? NSObject == w[field] as? NSObject, "\(k) \(field)")
                }
                for field in ["mean", "std"] {
                    if let a = w[field] as? Double, let b = g[field] as? Double {
                        #expect(abs(a - b) <= 1e-9 * max(1, abs(a)), "\(k) \(field) \(a) \(b)")
                    }
                }
                let (wd, gd) = (w["drift"] as? [String: Double] ?? [:], g["drift"] as? [String: Double] ?? [:])
                #expect(Set(wd.keys) == Set(gd.keys), "\(k)")
                // On exact counts: equal to rounding. From the sketches: within their bounds.
                for name in ["psi", "js", "chi2_p", "missing_rate_change", "invalid_rate_change"] {
                    if let a = wd[name] { #expect(abs(a - gd[name]!) <= 1e-9, "\(k) \(name)") }
                }
                if let a = wd["ks"] { #expect(abs(a - gd["ks"]!) <= 0.03, "\(k) ks") }
                if let d = w["distinct"] as? Int, let e = g["distinct"] as? Int {
                    #expect(abs(Double(d - e)) <= max(0.03 * Double(d), 1), "\(k) distinct \(d) \(e)")
                }
                compared += 1
            default:
                break  // alerts: the same set, compared by key above
            }
        }
        #expect(compared > 20)
        #expect(want.contains { $0["kind"] as? String == "alert" && $0["alertname"] as? String == "Drift" })
    }

    @Test func linesThatDoNotTileAndDuplicatesAreReportedNotSummed() throws {
        let gen = try runProcess(
            driftd, ["generate", "--output", dir.file("ref.jsonl"), "--records", "3000", "--rate", "10", "--seed", "1"])
        #expect(gen.status == 0)
        let c7 = try config("c7m.yaml", window: "7m", extra: "")
        try writeFile(
            c7,
            String(decoding: try readFile(c7), as: UTF8.self).replacingOccurrences(
                of: "reference: ref.json\n", with: ""
            ).replacingOccurrences(of: "output: {dir: out}", with: "output: {dir: out, profiles: true}"))
        #expect(
            try runProcess(driftd, ["replay", "--config", c7, "--output-dir", dir.file("p"), dir.file("ref.jsonl")])
                .status == 0)
        // The same file twice (a copy): every line of the copy is a duplicate; 7m windows do not tile 1h.
        try FileManager.default.createDirectory(atPath: dir.file("q"), withIntermediateDirectories: true)
        try writeFile(dir.file("q/copy.jsonl"), try readFile(dir.file("p/profiles.jsonl")))
        let c1h = try config("c1h.yaml", window: "1h")
        try writeFile(
            c1h,
            String(decoding: try readFile(c1h), as: UTF8.self).replacingOccurrences(
                of: "reference: ref.json\n", with: ""))
        let m = try runProcess(
            driftd,
            [
                "merge", "--config", c1h, "--profiles", dir.file("p/profiles.jsonl"), "--window", "1h", "--output-dir",
                dir.file("m"),
            ])
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.stderr.contains("does not tile 1h windows"), "\(m.stderr)")
        let c14 = try config("c14.yaml", window: "14m")
        try writeFile(
            c14,
            String(decoding: try readFile(c14), as: UTF8.self).replacingOccurrences(
                of: "reference: ref.json\n", with: ""))
        let d = try runProcess(
            driftd,
            [
                "merge", "--config", c14, "--profiles", dir.file("p/profiles.jsonl"), dir.file("q/*.jsonl"), "--window",
                "14m", "--output-dir", dir.file("d"),
            ])
        #expect(d.status == 0, "\(d.stderr)")
        #expect(d.stderr.contains("a duplicate line, not summed twice"), "\(d.stderr)")
        let windows = try objects(dir.file("d/metrics.jsonl")).filter { $0["kind"] as? String == "window" }
        #expect(windows.reduce(0) { $0 + ($1["records"] as! Int) } == 3000, "every record once, not twice")
        let none = try runProcess(
            driftd, ["merge", "--config", c14, "--profiles", dir.file("nothing/*.jsonl"), "--window", "14m"])
        #expect(none.status == 2 && none.stderr.contains("no file matches"), "\(none.stderr)")
    }
}
