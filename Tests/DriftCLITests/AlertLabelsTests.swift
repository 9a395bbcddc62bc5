import DriftTestSupport
import Foundation
import Testing

/// Alerts from many hosts stay apart and link back (DESIGN §7): `external_labels` on every alert (a rule's own
/// labels win), `generator_url` rendered into `generatorURL`, and every Alertmanager of an HA pair gets every alert.
@Suite struct AlertLabelsTests {
    let dir = TemporaryDirectory("driftd-alert-labels")
    let driftd = driftdExecutable()

    @Test func externalLabelsGeneratorURLAndAnHAPair() throws {
        let first = try TestHTTPServer(statuses: [200])
        let second = try TestHTTPServer(statuses: [200])
        let lines = (0..<120).map {
            #"{"ts": \#(1_795_651_200 + $0), "model": "fraud v3", "features": {"x": \#($0)}}"#
        }
        try writeFile(dir.file("in.jsonl"), lines.joined(separator: "\n") + "\n")
        try writeFile(
            dir.file("driftd.yaml"),
            """
            inputs: [{path: in.jsonl}]
            windows: [{size: 1m, min_count: 1}]
            output: {dir: out}
            external_labels: {cluster: eu-1, team: data}
            generator_url: "https://grafana.example.org/d/driftd?var-model={{ $model }}&var-feature={{ $feature }}"
            rules: [{alert: Always, expr: "count > 0", features: [x], labels: {team: ml}}]
            hooks: [{name: am, alertmanager: ["\(first.url)", "\(second.url)"], timeout: 5s}]
            """)
        let r = try runProcess(driftd, ["replay", "--config", dir.file("driftd.yaml"), "--hooks"])
        #expect(r.status == 0, "\(r.stderr)")
        for server in [first, second] {
            let request = try #require(server.requests.first, "each Alertmanager of the pair gets the alert")
            #expect(request.path == "/api/v2/alerts")
            let alerts = try #require(JSONSerialization.jsonObject(with: Data(request.body)) as? [[String: Any]])
            let alert = try #require(alerts.first)
            let labels = try #require(alert["labels"] as? [String: String])
            #expect(labels["cluster"] == "eu-1" && labels["team"] == "ml", "external labels added, the rule's win")
            #expect(
                alert["generatorURL"] as? String
                    == "https://grafana.example.org/d/driftd?var-model=fraud%20v3&var-feature=x")
        }
        // The metric file's alert lines carry the labels too.
        let written = String(decoding: try readFile(dir.file("out/metrics.jsonl")), as: UTF8.self)
        #expect(written.contains(#""cluster":"eu-1""#))
    }

    @Test func aBadURLInTheListIsNamedByCheck() throws {
        try writeFile(
            dir.file("bad.yaml"),
            "inputs: [{path: x}]\nhooks: [{name: am, alertmanager: [\"http://a:9093\", \"ftp://b\"]}]\n")
        let r = try runProcess(driftd, ["check", "--config", dir.file("bad.yaml")])
        #expect(r.status == 2 && r.stderr.contains("must be an http:// or https:// URL, not 'ftp://b'"), "\(r.stderr)")
    }
}
