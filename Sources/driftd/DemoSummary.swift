import DriftCore
import Foundation

/// The demo's live view: follows `metrics.jsonl` and keeps, per model and feature, the latest window's drift
/// measures and which alerts fire; renders them as a table for the terminal.
struct DemoSummary {
    struct Row {
        var type = ""
        var values: [String: Double] = [:]
        var firing: [String: String] = [:]  // alertname → severity
        var everFired: Set<String> = []
    }

    let path: String
    private var offset: UInt64 = 0
    private var pending: [UInt8] = []
    private(set) var rows: [String: [String: Row]] = [:]  // model → feature → row
    private(set) var windows: [String: Int] = [:]
    private(set) var records: [String: Int] = [:]
    private(set) var lastEnd = ""

    init(path: String) { self.path = path }

    /// Reads the lines appended since the last call.
    mutating func update() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.readToEnd()) ?? Data()
        offset += UInt64(data.count)
        pending += data
        while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
            add(Data(pending[..<nl]))
            pending.removeSubrange(...nl)
        }
    }

    private mutating func add(_ line: Data) {
        guard let o = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
            let model = o["model"] as? String
        else { return }
        switch o["kind"] as? String {
        case "window":
            windows[model, default: 0] += 1
            records[model, default: 0] += o["records"] as? Int ?? 0
            lastEnd = o["window_end"] as? String ?? lastEnd
        case "feature":
            guard let feature = o["feature"] as? String else { return }
            var row = rows[model, default: [:]][feature] ?? Row()
            row.type = o["type"] as? String ?? ""
            row.values = (o["drift"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Double }
            rows[model, default: [:]][feature] = row
        case "alert":
            guard let feature = o["feature"] as? String, let name = o["alertname"] as? String else { return }
            let key = feature.isEmpty ? "(window)" : feature
            var row = rows[model, default: [:]][key] ?? Row()
            if o["state"] as? String == "firing" {
                row.firing[name] = o["severity"] as? String ?? ""
                row.everFired.insert(name)
            } else {
                row.firing[name] = nil
            }
            rows[model, default: [:]][key] = row
        default:
            return
        }
    }

    /// Features that fired at least one alert, per model.
    var alerted: [String: [String]] {
        rows.mapValues { $0.filter { !$0.value.everFired.isEmpty }.keys.sorted() }.filter { !$0.value.isEmpty }
    }

    func render() -> String {
        var s = ""
        for model in rows.keys.sorted() {
            let end = lastEnd.count >= 16 ? String(lastEnd.dropFirst(11).prefix(5)) : lastEnd
            s += "\(model): \(windows[model] ?? 0) windows closed, \(records[model] ?? 0) records, latest ends \(end) (event time)\n"
            s += "  " + pad("feature", 16) + pad("type", 12) + ["PSI", "JS", "W1 norm", "Δ missing"].map { lpad($0, 10) }.joined()
            s += "  state\n"
            let features = rows[model]!.sorted { a, b in
                (a.value.firing.isEmpty ? 1 : 0, a.key) < (b.value.firing.isEmpty ? 1 : 0, b.key)
            }
            for (feature, row) in features where !row.type.isEmpty || !row.firing.isEmpty {
                let cells = ["psi", "js", "wasserstein_norm", "missing_rate_change"].map { key in
                    lpad(row.values[key].map { String(format: key == "missing_rate_change" ? "%+.3f" : "%.3f", $0) } ?? "-", 10)
                }
                let state = row.firing.isEmpty
                    ? (row.everFired.isEmpty ? "ok" : "resolved")
                    : "FIRING " + row.firing.keys.sorted().map { "\($0)(\(row.firing[$0]!))" }.joined(separator: " ")
                s += "  " + pad(feature, 16) + pad(row.type, 12) + cells.joined() + "  " + state + "\n"
            }
        }
        return s
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}
