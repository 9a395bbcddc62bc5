import DriftTestSupport
import Foundation
import Testing

/// `driftd demo` in its short mode, as CI runs it: live writer with rotation, daemon, shipped rules, exec hook.
@Suite struct DemoTests {
    let dir = TemporaryDirectory()
    let driftd = driftdExecutable()

    static let drifted: Set = ["amount", "score_b", "country", "channel"]
    static let stable: Set = [
        "age", "tenure_days", "balance", "txn_count_24h", "distance_km", "hour", "score_a", "ratio", "latency_ms",
        "const_flag", "device", "merchant_id",
    ]

    @Test func theShortDemoAlertsOnTheDriftedFeaturesAndOnNoStableOne() throws {
        let ws = dir.file("demo")
        let r = try runProcess(driftd, ["demo", "--dir", ws, "--duration", "12s", "--every", "4"])
        #expect(r.status == 0, "\(r.stderr)")

        let lines = splitLines(try readFile(ws + "/metrics/metrics.jsonl")).compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        let firing = lines.filter { $0["kind"] as? String == "alert" && $0["state"] as? String == "firing" }
        let features = Set(firing.compactMap { $0["feature"] as? String })
        #expect(Self.drifted.isSubset(of: features), "alerts for \(features.sorted())")
        #expect(features.isDisjoint(with: Self.stable), "alerts for \(features.sorted())")
        #expect(!features.contains(""), "no window-level alert (rejected lines)")
        // Drift starts at 40% of the records: the first windows are quiet.
        let windows = lines.filter { $0["kind"] as? String == "window" }
        #expect(windows.count >= 8)
        let firstAlertEnd = firing.compactMap { $0["window_end"] as? String }.min()!
        let firstWindowEnd = windows.compactMap { $0["window_end"] as? String }.min()!
        #expect(firstAlertEnd > firstWindowEnd)

        // The exec hook printed them, the live table showed them, the logs were rotated, a report was written.
        let out = r.stdoutText
        for feature in Self.drifted { #expect(out.contains("[hook] firing   \(feature) of fraud-v3")) }
        #expect(out.contains("FIRING ") && out.contains("FeatureDrift(critical)"))
        let logs = try FileManager.default.contentsOfDirectory(atPath: ws + "/logs")
        #expect(logs.count >= 2, "rotated: \(logs)")
        let html = String(decoding: try readFile(ws + "/report.html"), as: UTF8.self)
        #expect(html.contains("<svg") && html.contains("badge critical"))

        // The built-in rules the demo wrote are the shipped rule file, and the demo's config passes `check`.
        #expect(
            try readFile(ws + "/rules/default.yaml") == (try readFile(packageRoot() + "/Config/rules/default.yaml")))
        let check = try runProcess(driftd, ["check", "--config", ws + "/driftd.yaml"])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func ctrlCEndsTheDemoEarlyWithItsReport() throws {
        let ws = dir.file("demo")
        let p = try startProcess(driftd, ["demo", "--dir", ws, "--duration", "5m", "--every", "100"])
        // Wait until the daemon has closed windows, then interrupt as a terminal's Ctrl-C would.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? readFile(ws + "/metrics/metrics.jsonl"))?.count ?? 0 > 10_000) {
            Thread.sleep(forTimeInterval: 0.2)
        }
        let interrupted = Date()
        #expect(stopProcess(p, signal: SIGINT) == 0)
        #expect(Date().timeIntervalSince(interrupted) < 10, "not left running until the 5 minutes are over")
        #expect(FileManager.default.fileExists(atPath: ws + "/report.html"))
        #expect(FileManager.default.fileExists(atPath: ws + "/state/checkpoint.json"), "stopped as `run` stops")
    }

    @Test func aDurationTooShortIsRefusedBeforeAnythingIsWritten() throws {
        let ws = dir.file("demo")
        let r = try runProcess(driftd, ["demo", "--dir", ws, "--duration", "1s"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("at least 5s"))
        #expect(!FileManager.default.fileExists(atPath: ws))
    }
}
