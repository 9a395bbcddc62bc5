import DriftTestSupport
import Foundation
import Testing

/// `driftd run` with `http.listen`: /metrics (checked by promtool, with labelled counters and the gauges),
/// /-/healthy, /-/ready, and POST /-/reload with a good and a bad config, against the real binary.
@Suite(.serialized) struct HTTPRunTests {
    let dir = TemporaryDirectory("driftd-http")
    let driftd = driftdExecutable()

    /// The port of the "http endpoint listening" log line, once it is written.
    func listeningPort(_ log: String) -> Int? {
        var port: Int?
        _ = waitFor(10) {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            guard let range = text.range(of: #"address=127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
                return false
            }
            port = Int(text[range].split(separator: ":").last!)
            return true
        }
        return port
    }

    @Test func servesMetricsHealthReadinessAndReload() throws {
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        // Two windows of one model (the first closes when the second's record moves the watermark on), and a
        // line with a bad timestamp: a labelled counter.
        let lines = [
            #"{"ts":1795651200,"model":"fraud","features":{"x":1}}"#, #"{"ts":"yesterday","features":{"x":2}}"#,
            #"{"ts":1795651900,"model":"fraud","features":{"x":3}}"#,
        ]
        try writeFile(dir.file("logs/a.jsonl"), lines.joined(separator: "\n") + "\n")
        let config = dir.file("driftd.yaml")
        let good = """
            inputs: [{path: "logs/*.jsonl"}]
            windows: [{size: 5m}]
            output: {dir: out}
            state_dir: state
            http: {listen: "127.0.0.1:0"}

            """
        try writeFile(config, good)
        let log = dir.file("run.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let run = try startProcess(driftd, ["run", "--config", config], stderr: log)
        defer { if run.isRunning { kill(run.processIdentifier, SIGKILL) } }
        let port = try #require(listeningPort(log), "no 'http endpoint listening' line")

        #expect(waitFor(10) { (try? httpRequest(port: port, "GET", "/-/ready").status) == 200 })
        let healthy = try httpRequest(port: port, "GET", "/-/healthy")
        #expect(healthy.status == 200 && healthy.body == "driftd is Healthy.\n")

        // The window is written (and published) by a round; /metrics then holds its gauges.
        var metrics = ""
        #expect(
            waitFor(10) {
                metrics = (try? httpRequest(port: port, "GET", "/metrics").body) ?? ""
                return metrics.contains(#"driftd_window_records{model="fraud",window="5m"} 1"#)
            }, "\(metrics)")
        #expect(metrics.contains(#"driftd_records_rejected_total{reason="bad_timestamp"} 1"#))
        #expect(metrics.contains("driftd_build_info{version="))
        #expect(metrics.contains("driftd_config_last_reload_successful 1\n"))
        #expect(metrics.contains("driftd_ready 1\n"))
        #expect(metrics.contains("driftd_last_window_written_timestamp_seconds "))
        #expect(metrics.contains("driftd_start_time_seconds "))
        // A checkpoint was taken (the window written): how long it took is measured, so the gauge is above 0.
        let took = metrics.split(separator: "\n").first { $0.hasPrefix("driftd_last_checkpoint_duration_seconds ") }
        #expect(took.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 > 0 } == true, "\(metrics)")
        let scraped = dir.file("scraped.prom")
        try writeFile(scraped, metrics)
        let promtool = try #require(which("promtool"), "promtool is missing: run scripts/setup")
        let check = try runProcess(promtool, ["check", "metrics"], stdinFile: scraped)
        #expect(check.status == 0, "promtool check metrics: \(check.stdoutText) \(check.stderr)")

        // Reload: a good config takes effect (200); a bad one is refused with file and line (500), the old one
        // stays, and the gauge says so.
        try writeFile(config, good + "rules: [{alert: X, expr: \"records > 0\"}]\n")
        let reloaded = try httpRequest(port: port, "POST", "/-/reload")
        #expect(reloaded.status == 200, "\(reloaded.body)")
        #expect(try httpRequest(port: port, "GET", "/-/reload").status == 405)
        try writeFile(config, good + "windws: []\n")
        let refused = try httpRequest(port: port, "POST", "/-/reload")
        #expect(refused.status == 500)
        #expect(
            refused.body.contains("failed to reload config: \(config):6:1: unknown key 'windws'"), "\(refused.body)")
        let after = try httpRequest(port: port, "GET", "/metrics").body
        #expect(after.contains("driftd_config_last_reload_successful 0\n"))
        #expect(after.contains("driftd_config_reloads_total 1\n"))
        #expect(after.contains("driftd_config_reloads_refused_total 1\n"))
        #expect(try httpRequest(port: port, "GET", "/-/ready").status == 200, "a refused reload keeps it ready")

        #expect(stopProcess(run) == 0)
        #expect(throws: (any Error).self) { try httpRequest(port: port, "GET", "/-/healthy") }
    }

    @Test func aTakenPortStopsTheStartWithAClearMessage() throws {
        let blocker = try TestHTTPServer(statuses: [200])
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        let config = dir.file("taken.yaml")
        try writeFile(
            config,
            "inputs: [{path: \"logs/*.jsonl\"}]\noutput: {dir: out2}\nstate_dir: state2\n"
                + "http: {listen: \"127.0.0.1:\(blocker.port)\"}\n")
        let result = try runProcess(driftd, ["run", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.contains("http: cannot listen on 127.0.0.1:\(blocker.port)"), "\(result.stderr)")
    }
}
