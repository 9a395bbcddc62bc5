import DriftAlerts
import DriftEvaluate
import Foundation

/// The report as one static HTML page (DESIGN §9), read top down:
/// 1. per model, an overview: its features against its windows, most drifted first;
/// 2. the model's outputs and its performance, estimated and realized;
/// 3. its inputs, most severe first, those that alerted open, with the reference's and a window's distributions
///    side by side, drift measures over time against the thresholds of the rules in force, and data quality.
///
/// No script, nothing from the network; linear in features × windows.
public struct ReportPage {
    public var data: ReportData
    public var title: String
    /// The reference profile the windows were compared with: its distributions are drawn beside the windows'.
    public var reference: ReferenceProfile?
    /// The thresholds drawn, from the rules in force (nil: the shipped rules' defaults).
    var thresholds: RuleThresholds?

    public init(
        data: ReportData, title: String = "driftd report", reference: ReferenceProfile? = nil,
        rules: [AlertRule]? = nil
    ) {
        self.data = data
        self.title = title
        self.reference = reference
        thresholds = rules.map(RuleThresholds.init)
    }

    /// Quiet features drawn with charts, per model and window size; the others are a row of a table.
    static let maxQuietCards = 100

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]

    public func render() -> String {
        let groups = data.normalized()
        var s = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        s += "<title>\(HTML.escape(title))</title><style>\(Self.css)</style></head><body>"
        s += "<h1>\(HTML.escape(title))</h1>"
        s += "<p class=\"meta\">\(data.lines) lines read"
        if data.selfLines > 0 { s += " (\(data.selfLines) of them driftd's own counters, not drawn)" }
        if data.skipped > 0 { s += "; \(data.skipped) lines that are not metric lines were skipped" }
        s += ". Times are window ends, UTC. Dashed lines: the thresholds of "
        s += thresholds == nil ? "the shipped rules" : "the rules in force"
        s += "; shaded: alert periods.</p>"
        if groups.isEmpty { s += "<p class=\"empty\">No windows in these metric files yet.</p>" }
        // Each feature ranked once: the summary, the overview and the sections read the same ranks.
        let ranked = groups.map { g in g.features.values.map { (FeatureRank($0), $0) }.sorted { $0.0 < $1.0 } }
        s += summaryTable(groups, ranked: ranked)
        if !groups.isEmpty { s += "<h2>Overview</h2>" }
        for (i, g) in groups.enumerated() { s += overview(g, ranked: ranked[i], anchor: anchor(g, i)) }
        for (i, g) in groups.enumerated() { s += section(g, ranked: ranked[i], anchor: anchor(g, i)) }
        return s + "</body></html>\n"
    }

    func summaryTable(_ groups: [ReportData.Group], ranked: [[(FeatureRank, ReportData.Series)]]) -> String {
        guard !groups.isEmpty else { return "" }
        var s = "<table class=\"summary\"><tr><th>model</th><th>window</th><th>windows</th><th>records</th>"
        s += "<th>features</th><th>firing</th><th>alerted</th></tr>"
        for (i, g) in groups.enumerated() {
            let ranks = ranked[i].map(\.0)
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

    /// A model's outputs (`prediction…`, `actual…`): drawn with its performance, apart from its inputs.
    static func isOutput(_ feature: String) -> Bool {
        feature == "prediction" || feature == "actual" || feature.hasPrefix("prediction.")
            || feature.hasPrefix("actual.")
    }

    func section(_ g: ReportData.Group, ranked: [(FeatureRank, ReportData.Series)], anchor: String) -> String {
        // Each feature's rows are sorted: its first and last end bound it.
        let ends =
            g.points.map(\.end)
            + g.features.values.flatMap { [$0.columns.ends.first, $0.columns.ends.last] }.compactMap { $0 }
        let xRange = (ends.min() ?? 0)...(ends.max() ?? 0)
        var s =
            "<section id=\"\(anchor)\"><h2>\(HTML.escape(g.model)) <span class=\"w\">\(HTML.escape(g.window)) windows</span></h2>"
        let bands = g.alerts.map { (start: $0.start, end: $0.end) }
        s += "<div class=\"charts\">"
        s += chart("records per window", g.points, ["records", "late", "rejected"], [], bands, xRange)
        s += performanceChart(g, bands, xRange)
        s += "</div>"
        if !g.alerts.isEmpty { s += alertTable(g.alerts) }
        let records = g.points.compactMap { $0.values["records"] }
        let outputs = ranked.filter { Self.isOutput($0.1.feature) }
        if !outputs.isEmpty {
            s += "<h3>Model outputs</h3>"
            for (rank, series) in outputs { s += feature(series, rank, xRange, records: records) }
        }
        s += "<h3>Inputs</h3>"
        // Every feature that alerted or drifted gets its card, and the first quiet ones; the rest of thousands of
        // quiet features are a table row each, so that the page stays readable and small.
        var quietCards = 0
        var rows: [(FeatureRank, ReportData.Series)] = []
        for (rank, series) in ranked where !Self.isOutput(series.feature) {
            let quiet = rank.status == .quiet && rank.driftedWindows == 0 && Self.qualityProblem(series) == nil
            if quiet && quietCards >= Self.maxQuietCards {
                rows.append((rank, series))
                continue
            }
            if quiet { quietCards += 1 }
            s += feature(series, rank, xRange, records: records)
        }
        if !rows.isEmpty {
            s += "<details class=\"quiet-rest\"><summary>\(rows.count) more quiet features</summary>"
            s += "<table><tr><th>feature</th><th>type</th><th>worst PSI</th><th>last PSI</th></tr>"
            for (rank, series) in rows {
                let last = series.lastValues?["psi"].map(HTML.number) ?? ""
                s += "<tr><td>\(HTML.escape(series.feature))</td><td>\(HTML.escape(series.type))</td>"
                s += "<td>\(HTML.number(rank.worstPSI))</td><td>\(last)</td></tr>"
            }
            s += "</table></details>"
        }
        return s + "</section>"
    }

    /// The model's performance over time: estimated without labels (window lines) beside realized, from the
    /// records' actuals or from labels joined later (performance lines); ROC AUC and accuracy, one chart.
    func performanceChart(
        _ g: ReportData.Group, _ bands: [(start: Double, end: Double?)], _ xRange: ClosedRange<Double>
    ) -> String {
        var byEnd: [Double: PointValues] = [:]
        for p in g.points + g.performance { byEnd[p.end, default: PointValues()].merge(p.values) }
        let merged = byEnd.keys.sorted().map { ReportData.Point(end: $0, values: byEnd[$0]!) }
        let keys = ["estimated_roc_auc", "realized_roc_auc", "estimated_accuracy", "realized_accuracy"]
        guard merged.contains(where: { p in keys.contains { p.values[$0] != nil } }) else { return "" }
        return chart("performance: estimated and realized", merged, keys, [], bands, xRange, yAtLeast: 1)
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
        svg.chart{background:#fff}svg .frame{fill:none;stroke:#bbb}svg .grid{stroke:#eee}svg .alert{fill:#d62728;opacity:.15}
        svg .thr{stroke:#d62728;stroke-dasharray:4 3;stroke-width:1}svg text{font-size:10px;fill:#555}
        svg .t{font-size:12px;fill:#222;font-weight:bold}svg .tl{text-anchor:end;fill:#d62728}svg .lg{font-size:11px}
        .overview{border:1px solid #ddd;border-radius:4px;margin:8px 0;padding:4px 12px}.overview h3{margin:6px 0}
        ol.drifted{margin:4px 0}.problem{color:#b00}.ok{color:#1e6b34}.legend{font-size:12px;color:#555}
        svg.heat text{font-size:10px;fill:#333}
        """
}
