import Foundation

/// The overview of one model at one window size: its features (most drifted first) against its windows, each cell
/// coloured by the worst state the feature was in during that window. At most ``maxRows`` features and
/// ``maxColumns`` columns (several windows to a column, the worst of them shown), so that the page stays small
/// and its cost linear in features × windows.
struct OverviewHeatmap {
    enum State: Int, Comparable {
        case noData = 0
        case ok, warning, invalid, critical

        static func < (a: State, b: State) -> Bool { a.rawValue < b.rawValue }

        var color: String {
            switch self {
            case .noData: "#f0f0f0"
            case .ok: "#cfe8d4"
            case .warning: "#f9d46b"
            case .invalid: "#8e44ad"
            case .critical: "#c62828"
            }
        }

        var label: String {
            switch self {
            case .noData: "no data"
            case .ok: "ok"
            case .warning: "warning (PSI ≥ 0.1 or a warning firing)"
            case .invalid: "no valid value"
            case .critical: "critical (PSI ≥ 0.2 or a critical alert firing)"
            }
        }
    }

    static let maxRows = 40
    static let maxColumns = 96

    var rows: [(feature: String, states: [State])] = []
    /// The first window end of each column.
    var columns: [Double] = []
    /// Features not shown (beyond ``maxRows``), all of them quieter than the last shown.
    var hidden = 0

    init(_ group: ReportData.Group, ranked: [(FeatureRank, ReportData.Series)]) {
        let ends = Self.ends(group.features.values.map(\.columns.ends))
        guard !ends.isEmpty else { return }
        let perColumn = (ends.count + Self.maxColumns - 1) / Self.maxColumns
        columns = stride(from: 0, to: ends.count, by: perColumn).map { ends[$0] }
        let column = Dictionary(uniqueKeysWithValues: ends.enumerated().map { ($1, $0 / perColumn) })
        for (_, series) in ranked.prefix(Self.maxRows) {
            var states = Array(repeating: State.noData, count: columns.count)
            for p in series.points {
                let c = column[p.end]!
                states[c] = max(states[c], Self.state(p, alerts: series.alerts))
            }
            rows.append((series.feature, states))
        }
        hidden = max(0, ranked.count - Self.maxRows)
    }

    /// Every window end of the features, sorted; features with the same windows as the one before (most of
    /// them) are not read twice.
    static func ends(_ lists: [[Double]]) -> [Double] {
        var all = Set<Double>()
        var before: [Double]?
        for ends in lists where ends != before {
            all.formUnion(ends)
            before = ends
        }
        return all.sorted()
    }

    static func state(_ p: ReportData.Point, alerts: [ReportData.AlertPeriod]) -> State {
        let firing = alerts.filter { $0.start <= p.end && ($0.end.map { p.end < $0 } ?? true) }
        if firing.contains(where: { $0.severity == "critical" }) { return .critical }
        if (p.values["count"] ?? 1) == 0 && (p.values["invalid"] ?? 0) > 0 { return .invalid }
        let psi = p.values["psi"] ?? 0
        if psi >= 0.2 { return .critical }
        if !firing.isEmpty || psi >= 0.1 { return .warning }
        return .ok
    }

    func render() -> String {
        guard !rows.isEmpty else { return "" }
        // Cells as wide as 760 pixels allow (at least 6, at most 24): 288 windows fit in 96 columns of 7.9.
        let cell = Swift.min(24, Swift.max(6, 760 / Double(columns.count)))
        let labelWidth = 170.0
        let width = labelWidth + Double(columns.count) * cell + 4
        let rowHeight = 12.0
        let height = Double(rows.count) * rowHeight + 16
        var s = "<svg class=\"heat\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" "
        s += "height=\"\(Int(height))\" role=\"img\" aria-label=\"overview\" xmlns=\"http://www.w3.org/2000/svg\">"
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight
            let name = row.feature.count > 28 ? String(row.feature.prefix(27)) + "…" : row.feature
            s += "<text x=\"\(Int(labelWidth - 4))\" y=\"\(Int(y + 10))\" text-anchor=\"end\">"
            s += "\(HTML.escape(name))<title>\(HTML.escape(row.feature))</title></text>"
            // Runs of one state as one rectangle: the page grows with the changes, not with every window.
            var c = 0
            while c < row.states.count {
                var e = c
                while e + 1 < row.states.count && row.states[e + 1] == row.states[c] { e += 1 }
                let x = labelWidth + Double(c) * cell
                s += "<rect x=\"\(HTML.fixed1(x))\" y=\"\(Int(y + 2))\" "
                s += "width=\"\(HTML.fixed1(Double(e - c + 1) * cell - 0.5))\" height=\"10\" "
                s += "fill=\"\(row.states[c].color)\"><title>\(row.states[c].label)</title></rect>"
                c = e + 1
            }
        }
        if let first = columns.first, let last = columns.last {
            let y = Int(height - 2)
            s += "<text x=\"\(Int(labelWidth))\" y=\"\(y)\">\(SVGChart.clock(first))</text>"
            s += "<text x=\"\(Int(width - 2))\" y=\"\(y)\" text-anchor=\"end\">\(SVGChart.clock(last))</text>"
        }
        return s + "</svg>"
    }
}
