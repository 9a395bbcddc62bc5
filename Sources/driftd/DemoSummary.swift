import DriftCore
import DriftReport
import Foundation

/// The demo's live view: follows `metrics.jsonl` into the report's `ReportData`, and renders each feature's latest
/// drift measures and alert state as a table for the terminal.
struct DemoSummary {
    let path: String
    private var offset: UInt64 = 0
    private var pending: [UInt8] = []
    private var data = ReportData()

    init(path: String) { self.path = path }

    /// Reads the lines appended since the last call.
    mutating func update() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let bytes = (try? handle.readToEnd()) ?? Data()
        offset += UInt64(bytes.count)
        pending += bytes
        while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
            data.add(line: Data(pending[..<nl]))
            pending.removeSubrange(...nl)
        }
    }

    /// Features that fired at least one alert, over every model.
    var alerted: Set<String> {
        Set(data.normalized().flatMap { $0.features.values.filter { !$0.alerts.isEmpty }.map(\.feature) })
    }

    func render() -> String {
        var s = ""
        for g in data.normalized() {
            let records = Int(g.points.compactMap { $0.values["records"] }.reduce(0, +))
            let end = g.points.last.map { EventTime(nanoseconds: Int64($0.end * 1e9)).rfc3339 } ?? ""
            s +=
                "\(g.model) (\(g.window) windows): \(g.points.count) closed, \(records) records, "
                + "latest ends \(end.dropFirst(11).prefix(5)) (event time)\n"
            s +=
                "  " + pad("feature", 16) + pad("type", 12)
                + ["PSI", "JS", "W1 norm", "Δ missing"].map { lpad($0, 10) }.joined() + "  state\n"
            if !g.alerts.isEmpty { s += "  " + pad("(window)", 16) + pad("", 12 + 40) + "  " + state(g.alerts) + "\n" }
            let features = g.features.values.filter { !$0.type.isEmpty }.sorted { a, b in
                (firing(a.alerts).isEmpty ? 1 : 0, a.feature) < (firing(b.alerts).isEmpty ? 1 : 0, b.feature)
            }
            for f in features {
                let last = f.points.last?.values ?? [:]
                let cells = ["psi", "js", "wasserstein_norm", "missing_rate_change"].map { key in
                    lpad(
                        last[key].map { String(format: key == "missing_rate_change" ? "%+.3f" : "%.3f", $0) } ?? "-", 10
                    )
                }
                s += "  " + pad(f.feature, 16) + pad(f.type, 12) + cells.joined() + "  " + state(f.alerts) + "\n"
            }
        }
        return s
    }

    private func firing(_ periods: [ReportData.AlertPeriod]) -> [ReportData.AlertPeriod] {
        periods.filter { $0.end == nil }
    }

    private func state(_ periods: [ReportData.AlertPeriod]) -> String {
        let open = firing(periods).sorted { $0.name < $1.name }
        if open.isEmpty { return periods.isEmpty ? "ok" : "resolved" }
        return "FIRING " + open.map { "\($0.name)(\($0.severity))" }.joined(separator: " ")
    }

    private func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }
    private func lpad(_ s: String, _ n: Int) -> String {
        s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s
    }
}
