import DriftAlerts

/// The overview at the top: per model, which features drifted, when, and how badly.
extension ReportPage {
    func overview(_ g: ReportData.Group, ranked: [(FeatureRank, ReportData.Series)], anchor: String) -> String {
        var s = "<div class=\"overview\"><h3><a href=\"#\(anchor)\">\(HTML.escape(g.model))</a> "
        s += "<span class=\"w\">\(HTML.escape(g.window)) windows</span></h3>"
        let drifted = ranked.filter { $0.0.status != .quiet || $0.0.driftedWindows > 0 }
        if drifted.isEmpty {
            s += "<p class=\"ok\">No feature drifted.</p>"
        } else {
            s += "<ol class=\"drifted\">"
            for (rank, series) in drifted.prefix(10) {
                s += "<li><b>\(HTML.escape(series.feature))</b> <span class=\"badge \(rank.status.label)\">"
                s += "\(rank.status.label)</span> <span class=\"m\">\(rank.driftedWindows) of \(series.columns.count) "
                s += "windows drifted, worst PSI \(HTML.number(rank.worstPSI))</span></li>"
            }
            s += "</ol>"
            if drifted.count > 10 { s += "<p class=\"m\">and \(drifted.count - 10) more drifted features below.</p>" }
        }
        if !g.newFeatures.isEmpty {
            let names = g.newFeatures.sorted()
            s += "<p class=\"problem\">Features the reference does not have (no drift measure covers them): "
            s += names.prefix(20).map { "<b>\(HTML.escape($0))</b>" }.joined(separator: ", ")
            s += names.count > 20 ? " and \(names.count - 20) more" : ""
            s += ".</p>"
        }
        let heat = OverviewHeatmap(g, ranked: ranked)
        s += heat.render()
        if heat.hidden > 0 { s += "<p class=\"m\">\(heat.hidden) quieter features not shown here.</p>" }
        s += "<p class=\"legend\">"
        for state in [OverviewHeatmap.State.ok, .warning, .critical, .invalid, .noData] {
            s += "<span style=\"background:\(state.color)\">&nbsp;&nbsp;&nbsp;</span> \(state.label) "
        }
        return s + "</p></div>"
    }
}
