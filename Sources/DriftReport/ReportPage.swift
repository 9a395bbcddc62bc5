import DriftAlerts
import DriftEvaluate
import Foundation

/// The report as one static HTML page: per model and window size, the window counts, then every feature —
/// most severe first, those that ever alerted open, the rest collapsed — with its drift measures over time
/// against the shipped rules' thresholds, its alert periods shaded, and its data-quality rates.
public struct ReportPage {
    public var data: ReportData
    public var title: String

    public init(data: ReportData, title: String = "driftd report") {
        self.data = data
        self.title = title
    }

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]

    public func render() -> String {
        let groups = data.normalized()
        var s = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        s += "<title>\(HTML.escape(title))</title><style>\(Self.css)</style></head><body>"
        s += "<h1>\(HTML.escape(title))</h1>"
        s += "<p class=\"meta\">\(data.lines) metric lines read"
        if data.skipped > 0 { s += ", \(data.skipped) skipped (not metric lines)" }
        s +=
            ". Times are window ends, UTC. Dashed lines: the default thresholds of the shipped rules; shaded: alert periods.</p>"
        if groups.isEmpty { s += "<p class=\"empty\">No windows in these metric files yet.</p>" }
        s += summaryTable(groups)
        for (i, g) in groups.enumerated() { s += section(g, anchor: anchor(g, i)) }
        return s + "</body></html>\n"
    }

    func summaryTable(_ groups: [ReportData.Group]) -> String {
        guard !groups.isEmpty else { return "" }
        var s = "<table class=\"summary\"><tr><th>model</th><th>window</th><th>windows</th><th>records</th>"
        s += "<th>features</th><th>firing</th><th>alerted</th></tr>"
        for (i, g) in groups.enumerated() {
            let ranks = g.features.values.map(FeatureRank.init)
            let firing = ranks.filter { $0.status == .firing || $0.status == .firingCritical }.count
            let alerted = ranks.filter { $0.status != .quiet }.count
            let records = g.points.compactMap { $0.values["records"] }.reduce(0, +)
            s +=
                "<tr><td><a href=\"#\(anchor(g, i))\">\(HTML.escape(g.model))</a></td><td>\(HTML.escape(g.window))</td>"
            s += "<td>\(g.points.count)</td><td>\(Int(records))</td><td>\(g.features.count)</td>"
            s += "<td class=\"\(firing > 0 ? "bad" : "")\">\(firing)</td><td>\(alerted)</td></tr>"
        }
        return s + "</table>"
    }

    /// The id of a group's section: its position among the groups (so that `a.b`, `a-b` and `a b`, which read
    /// alike once made safe, never share one), then its name made safe for a URL fragment.
    func anchor(_ g: ReportData.Group, _ index: Int) -> String {
        "m\(index)-"
            + (g.model + "-" + g.window).unicodeScalars.map {
                $0.isASCII && CharacterSet.alphanumerics.contains($0) ? String($0) : "_"
            }.joined()
    }

    func section(_ g: ReportData.Group, anchor: String) -> String {
        let ends = g.points.map(\.end) + g.features.values.flatMap { $0.points.map(\.end) }
        let xRange = (ends.min() ?? 0)...(ends.max() ?? 0)
        var s =
            "<section id=\"\(anchor)\"><h2>\(HTML.escape(g.model)) <span class=\"w\">\(HTML.escape(g.window)) windows</span></h2>"
        let bands = g.alerts.map { (start: $0.start, end: $0.end) }
        s += chart("records per window", g.points, ["records", "late", "rejected"], [], bands, xRange)
        s += performanceChart(g, bands, xRange)
        if !g.alerts.isEmpty { s += alertTable(g.alerts) }
        let ordered = g.features.values.map { (FeatureRank($0), $0) }.sorted { $0.0 < $1.0 }
        for (rank, series) in ordered { s += feature(series, rank, xRange) }
        return s + "</section>"
    }

    /// The model's performance over time: estimated without labels (window lines) beside realized, from the
    /// records' actuals or from labels joined later (performance lines); ROC AUC and accuracy, one chart.
    func performanceChart(
        _ g: ReportData.Group, _ bands: [(start: Double, end: Double?)], _ xRange: ClosedRange<Double>
    ) -> String {
        var byEnd: [Double: [String: Double]] = [:]
        for p in g.points + g.performance { byEnd[p.end, default: [:]].merge(p.values) { _, new in new } }
        let merged = byEnd.keys.sorted().map { ReportData.Point(end: $0, values: byEnd[$0]!) }
        let keys = ["estimated_roc_auc", "realized_roc_auc", "estimated_accuracy", "realized_accuracy"]
        guard merged.contains(where: { p in keys.contains { p.values[$0] != nil } }) else { return "" }
        return chart("performance: estimated and realized", merged, keys, [], bands, xRange, yAtLeast: 1)
    }

    func feature(_ f: ReportData.Series, _ rank: FeatureRank, _ xRange: ClosedRange<Double>) -> String {
        let last = f.points.last?.values ?? [:]
        var s = "<details class=\"feature \(rank.status.label)\"\(rank.status == .quiet ? "" : " open")><summary>"
        s += "<span class=\"badge \(rank.status.label)\">\(rank.status.label)</span> <b>\(HTML.escape(f.feature))</b>"
        s += " <span class=\"type\">\(HTML.escape(f.type))</span>"
        if let psi = last["psi"] { s += " <span class=\"m\">PSI \(HTML.number(psi))</span>" }
        s += " <span class=\"m\">worst PSI \(HTML.number(rank.worstPSI))</span></summary>"
        let bands = f.alerts.map { (start: $0.start, end: $0.end) }
        s += "<div class=\"charts\">"
        s += chart(
            "PSI", f.points, ["psi"],
            [
                .init(value: DefaultThresholds.psiWarning, label: "warning"),
                .init(value: DefaultThresholds.psiCritical, label: "critical"),
            ],
            bands, xRange)
        s += chart(
            f.type == "numeric" ? "Jensen–Shannon, normed Wasserstein" : "Jensen–Shannon", f.points,
            ["js", "wasserstein_norm"], [.init(value: DefaultThresholds.js, label: "0.1")], bands, xRange)
        if f.points.contains(where: { $0.values["chi2_p"] != nil }) {
            s += chart(
                "chi-square p", f.points, ["chi2_p"], [.init(value: DefaultThresholds.chi2P, label: "0.05")], bands,
                xRange)
        }
        s += chart(
            "data quality", f.points, ["missing_rate", "invalid_rate", "out_of_range"], [], bands, xRange,
            yAtLeast: 0.05)
        s += "</div>"
        if !f.alerts.isEmpty { s += alertTable(f.alerts) }
        return s + "</details>"
    }

    func chart(
        _ title: String, _ points: [ReportData.Point], _ keys: [String], _ thresholds: [SVGChart.Threshold],
        _ bands: [(start: Double, end: Double?)], _ xRange: ClosedRange<Double>, yAtLeast: Double = 1e-9
    ) -> String {
        var lines: [SVGChart.Line] = []
        for (i, key) in keys.enumerated() {
            let pts = points.compactMap { p in p.values[key].map { (x: p.end, y: $0) } }
            if !pts.isEmpty { lines.append(.init(name: key, color: Self.colors[i % Self.colors.count], points: pts)) }
        }
        guard !lines.isEmpty else { return "" }
        return SVGChart(
            title: title, lines: lines, thresholds: thresholds, bands: bands, xRange: xRange, yAtLeast: yAtLeast
        ).render()
    }

    func alertTable(_ periods: [ReportData.AlertPeriod]) -> String {
        var s =
            "<table class=\"alerts\"><tr><th>alert</th><th>severity</th><th>fired (window end)</th><th>resolved</th></tr>"
        for p in periods {
            s +=
                "<tr><td>\(HTML.escape(p.name))</td><td>\(HTML.escape(p.severity))</td><td>\(SVGChart.clock(p.start))</td>"
            s += "<td>\(p.end.map(SVGChart.clock) ?? "still firing")</td></tr>"
        }
        return s + "</table>"
    }

    static let css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1120px}
        h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}
        .w,.type,.meta,.m{color:#666;font-weight:normal}.m{margin-left:8px}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}
        .bad{color:#b00;font-weight:bold}
        details.feature{border:1px solid #ddd;border-radius:4px;margin:6px 0;padding:4px 8px}
        summary{cursor:pointer}.charts{display:flex;flex-wrap:wrap;gap:4px}
        .badge{display:inline-block;min-width:64px;text-align:center;border-radius:3px;font-size:12px;padding:0 4px;background:#e6f4ea;color:#1e6b34}
        .badge.critical{background:#b00;color:#fff}.badge.firing{background:#f9a825;color:#000}.badge.resolved{background:#fff3cd;color:#6b5200}.badge.invalid{background:#d84315;color:#fff}
        svg.chart{background:#fff}svg .frame{fill:none;stroke:#bbb}svg .alert{fill:#d62728;opacity:.15}
        svg .thr{stroke:#d62728;stroke-dasharray:4 3;stroke-width:1}svg text{font-size:10px;fill:#555}
        svg .t{font-size:12px;fill:#222;font-weight:bold}svg .tl{text-anchor:end;fill:#d62728}svg .lg{font-size:11px}
        """
}
