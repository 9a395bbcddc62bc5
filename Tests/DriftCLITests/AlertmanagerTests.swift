import DriftTestSupport
import Foundation
import Testing

/// `driftd run` pushing to a real Alertmanager (Debian's prometheus-alertmanager, installed by scripts/setup) on
/// 127.0.0.1: drift makes the alert appear in Alertmanager's API with the right labels, and its end resolves it.
@Suite(.serialized) struct AlertmanagerTests {
    let dir = TemporaryDirectory("driftd-am")
    let driftd = driftdExecutable()

    /// The alerts Alertmanager holds; nil when it does not answer (a stopped Alertmanager is not "no alerts").
    func alerts(_ port: UInt16) -> [[String: Any]]? {
        guard let data = try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/api/v2/alerts")!),
            let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return nil }
        return list
    }

    func startAlertmanager() throws -> (Process, UInt16) {
        let binary = "/usr/bin/prometheus-alertmanager"
        try #require(
            FileManager.default.isExecutableFile(atPath: binary),
            "prometheus-alertmanager is missing: run scripts/setup")
        try writeFile(
            dir.file("am.yml"),
            """
            route: {receiver: "null", group_wait: 0s, group_interval: 1s, repeat_interval: 1h}
            receivers: [{name: "null"}]
            """)
        for attempt in 0..<5 {
            let port = UInt16(20_000 + (Int(getpid()) * 7 + attempt * 131) % 30_000)
            let am = try startProcess(
                binary,
                [
                    "--config.file=\(dir.file("am.yml"))", "--web.listen-address=127.0.0.1:\(port)",
                    "--storage.path=\(dir.file("am-data-\(attempt)"))", "--cluster.listen-address=",
                ])
            let up = waitFor(10, every: 0.2) {
                (try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/api/v2/status")!)) != nil
            }
            if up { return (am, port) }
            am.terminate()
        }
        throw POSIXError(.EADDRINUSE)
    }

    @Test func driftFiresAnAlertInAlertmanagerAndItsEndResolvesIt() throws {
        let (am, port) = try startAlertmanager()
        defer { am.terminate() }
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        let config = dir.file("driftd.yaml")
        try writeFile(
            config,
            """
            inputs: [{path: "logs/*.jsonl.zst*"}]
            windows: [{size: 10s, allowed_lateness: 2s, idle_timeout: 1h, min_count: 500}]
            reference: reference.json
            output: {dir: metrics}
            state_dir: state
            rules:
              - alert: FeatureDrift
                expr: "psi > 0.2"
                features: [amount]
                severity: critical
                labels: {team: ml}
                annotations: {summary: "{{ $feature }} drifted (PSI {{ $value }})"}
            hooks:
              - name: am
                alertmanager: "http://127.0.0.1:\(port)"
            """)
        func generate(_ args: [String]) throws {
            let r = try runProcess(driftd, ["generate", "--rate", "200"] + args)
            #expect(r.status == 0, "\(r.stderr)")
        }
        try generate(["--output", dir.file("reference.jsonl.zst"), "--records", "20000", "--seed", "1"])
        let baseline = try runProcess(
            driftd,
            [
                "baseline", "--config", config, "--output", dir.file("reference.json"),
                dir.file("reference.jsonl.zst"),
            ])
        #expect(baseline.status == 0, "\(baseline.stderr)")

        let run = try startProcess(driftd, ["run", "--config", config])
        defer { if run.isRunning { run.terminate() } }

        // 30 s of drifted records (event time): two 10 s windows close, the alert fires.
        try generate([
            "--output", dir.file("logs/a.jsonl.zst"), "--records", "6000", "--seed", "2", "--drift-after", "0",
        ])
        let firing = waitFor(30, every: 0.2) {
            (alerts(port) ?? []).contains { ($0["labels"] as? [String: String])?["alertname"] == "FeatureDrift" }
        }
        #expect(firing, "the alert reached Alertmanager")
        let alert = try #require(alerts(port)?.first)
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(
            labels == [
                "alertname": "FeatureDrift", "model": "fraud-v3", "feature": "amount", "window": "10s",
                "severity": "critical", "team": "ml",
            ])
        #expect((alert["annotations"] as? [String: String])?["summary"]?.hasPrefix("amount drifted (PSI ") == true)
        #expect((alert["status"] as? [String: Any])?["state"] as? String == "active")

        // Then 30 s of records like the reference: the windows close clean and the alert resolves.
        try generate([
            "--output", dir.file("logs/b.jsonl.zst"), "--records", "6000", "--seed", "3",
            "--start", "2026-11-26T00:00:30Z",
        ])
        #expect(
            waitFor(30, every: 0.2) { alerts(port)?.isEmpty == true }, "the resolution ended it in Alertmanager")
        #expect(alerts(port) != nil, "Alertmanager still answers")
        #expect(stopProcess(run) == 0)
    }
}
