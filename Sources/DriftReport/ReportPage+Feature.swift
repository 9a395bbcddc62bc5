import DriftAlerts
import DriftEvaluate

/// One feature's card: its state, the reference's and a window's distributions side by side, its drift measures
/// over time against the thresholds of the rules in force, and its data quality drawn as a problem when it is one.
extension ReportPage {
    func feature(
        _ f: ReportData.Series, _ rank: FeatureRank, _ xRange: ClosedRange<Double>, records: [Double]
    ) -> String {
        let points = f.points
        let last = points.last?.values ?? [:]
        let quality = Self.qualityProblem(f)
        var s =
            "<details class=\"feature \(rank.status.label)\"\(rank.status == .quiet && quality == nil ? "" : " open")>"
        s += "<summary><span class=\"badge \(rank.status.label)\">\(rank.status.label)</span> "
        s += "<b>\(HTML.escape(f.feature))</b> <span class=\"type\">\(HTML.escape(f.type))</span>"
        if let psi = last["psi"] { s += " <span class=\"m\">PSI \(HTML.number(psi))</span>" }
        s += " <span class=\"m\">worst PSI \(HTML.number(rank.worstPSI))</span>"
        if let quality { s += " <span class=\"problem\">\(HTML.escape(quality))</span>" }
        s += "</summary>"
        let bands = f.alerts.map { (start: $0.start, end: $0.end) }
        s += "<div class=\"charts\">"
        s += distributions(f)
        s += chart("PSI", points, ["psi"], lines("psi", records: records), bands, xRange)
        let numeric = f.type == "numeric"
        s += chart(
            numeric ? "Jensen–Shannon, normed Wasserstein" : "Jensen–Shannon", points, ["js", "wasserstein_norm"],
            lines("js", records: records) + (numeric ? lines("wasserstein_norm", records: records) : []), bands,
            xRange)
        if points.contains(where: { $0.values["chi2_p"] != nil }) {
            s += chart("chi-square p", points, ["chi2_p"], lines("chi2_p", records: records), bands, xRange)
        }
        s += chart(
            "data quality", points, ["missing_rate", "invalid_rate", "out_of_range", "unseen_rate"],
            lines("missing_rate", records: records) + lines("invalid_rate", records: records), bands, xRange,
            yAtLeast: 0.05)
        s += "</div>"
        if !f.alerts.isEmpty { s += alertTable(f.alerts) }
        return s + "</details>"
    }

    /// Thresholds for `measure`: the rules in force, else the shipped defaults.
    func lines(_ measure: String, records: [Double]) -> [SVGChart.Threshold] {
        if let thresholds { return thresholds.thresholds(measure, records: records) }
        switch measure {
        case "psi":
            return [
                .init(value: DefaultThresholds.psiWarning, label: "warning"),
                .init(value: DefaultThresholds.psiCritical, label: "critical"),
            ]
        case "js": return [.init(value: DefaultThresholds.js, label: "warning")]
        case "wasserstein_norm": return [.init(value: DefaultThresholds.wassersteinNorm, label: "warning")]
        case "chi2_p":
            // The shipped rule applies to windows under 1,000 records only.
            guard records.contains(where: { $0 < Double(DefaultThresholds.chi2MaxRecords) }) else { return [] }
            return [.init(value: DefaultThresholds.chi2P, label: "warning")]
        default: return []
        }
    }

    /// What is wrong with the feature's data in its last window, said in words; nil when nothing is.
    static func qualityProblem(_ f: ReportData.Series) -> String? {
        guard let last = f.lastValues else { return nil }
        if (last["count"] ?? 1) == 0 && (last["invalid"] ?? 0) > 0 {
            return "no valid value: every value of the wrong type"
        }
        if let r = last["invalid_rate"], r >= 0.05 { return "\(HTML.number(r * 100))% invalid values" }
        if let r = last["missing_rate"], r >= 0.5 { return "\(HTML.number(r * 100))% missing" }
        if let r = last["unseen_rate"], r >= 0.1 { return "\(HTML.number(r * 100))% values the reference never saw" }
        return nil
    }

    /// The reference's distribution beside the worst window's, or the window asked for (and the last window's,
    /// when another).
    func distributions(_ f: ReportData.Series) -> String {
        let model = String(f.model.split(separator: " @ ", maxSplits: 1).first ?? "")
        let ref = reference?.models[model]?.features[f.feature]
        var s = ""
        let first = data.chosen == nil ? ("worst window", f.worst) : ("chosen window", f.chosen)
        for (which, d) in [first, ("last window", f.last)] {
            guard let d else { continue }
            if which == "last window", d.end == first.1?.end { continue }
            let title = "\(which), \(SVGChart.clock(d.end)): share of values per reference bin"
            if let ref, let chart = DistributionChart(title: title, reference: ref, window: d) {
                s += chart.render()
            } else if let chart = DistributionChart(title: "top values, \(which) (\(SVGChart.clock(d.end)))", top: d) {
                s += chart.render()
            }
        }
        return s
    }
}
