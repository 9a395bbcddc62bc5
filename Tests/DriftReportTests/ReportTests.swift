import Foundation
import Testing

@testable import DriftReport

private func featureLine(
    _ model: String, _ feature: String, end: String, psi: Double, missing: Int = 0, count: Int = 100, invalid: Int = 0
)
    -> Data
{
    let name = try! JSONSerialization.data(withJSONObject: [feature], options: [])
    let quoted = String(decoding: name, as: UTF8.self).dropFirst().dropLast()
    return Data(
        """
        {"kind":"feature","model":"\(model)","window":"5m","window_start":"x","window_end":"\(end)","feature":\(quoted),\
        "type":"numeric","count":\(count),"missing":\(missing),"invalid":\(invalid),"mean":1.5,"drift":{"psi":\(psi),"js":0.01}}
        """.utf8)
}

private func alertLine(_ feature: String, end: String, state: String, severity: String = "critical") -> Data {
    Data(
        """
        {"kind":"alert","model":"m","window":"5m","window_end":"\(end)","feature":"\(feature)","alertname":"FeatureDrift",\
        "state":"\(state)","severity":"\(severity)","value":0.3,"threshold":0.2}
        """.utf8)
}

@Suite struct ReportDataTests {
    @Test func aRewrittenWindowKeepsItsLastLineAndPointsSortByTime() {
        var d = ReportData()
        d.add(line: featureLine("m", "a", end: "2026-11-26T10:10:00Z", psi: 0.5))
        d.add(line: featureLine("m", "a", end: "2026-11-26T10:05:00Z", psi: 0.1))
        d.add(line: featureLine("m", "a", end: "2026-11-26T10:10:00Z", psi: 0.7))
        d.add(line: Data("not json".utf8))
        d.add(line: Data(#"{"kind":"self","time":"2026-11-26T10:00:00Z"}"#.utf8))
        let g = d.normalized()
        #expect(g.count == 1)
        let points = g[0].features["a"]!.points
        #expect(points.map { $0.values["psi"]! } == [0.1, 0.7])
        #expect(points[0].end < points[1].end)
        #expect(d.lines == 5 && d.skipped == 2)
    }

    @Test func dataQualityRatesAreComputedFromTheCounts() {
        var d = ReportData()
        d.add(line: featureLine("m", "a", end: "2026-11-26T10:05:00Z", psi: 0, missing: 25, count: 75))
        let v = d.normalized()[0].features["a"]!.points[0].values
        #expect(v["missing_rate"] == 0.25)
        #expect(v["invalid_rate"] == 0)
    }

    @Test func alertLinesBecomePeriodsAndAReplayedFiringLineDoesNotOpenASecond() {
        var d = ReportData()
        d.add(line: alertLine("a", end: "2026-11-26T10:05:00Z", state: "firing"))
        d.add(line: alertLine("a", end: "2026-11-26T10:05:00Z", state: "firing"))
        d.add(line: alertLine("a", end: "2026-11-26T10:20:00Z", state: "resolved"))
        d.add(line: alertLine("a", end: "2026-11-26T10:30:00Z", state: "firing"))
        let periods = d.normalized()[0].features["a"]!.alerts
        #expect(periods.count == 2)
        #expect(periods[0].end != nil && periods[0].end! - periods[0].start == 900)
        #expect(periods[1].end == nil)
    }
}

@Suite struct ReportPageTests {
    func sample() -> ReportData {
        var d = ReportData()
        for (i, minute) in ["05", "10", "15"].enumerated() {
            let end = "2026-11-26T10:\(minute):00Z"
            d.add(line: featureLine("m", "quiet_high_psi", end: end, psi: 0.09))
            d.add(line: featureLine("m", "quiet_low_psi", end: end, psi: 0.01))
            d.add(line: featureLine("m", "was_warning", end: end, psi: 0.05))
            d.add(line: featureLine("m", "drifted<script>", end: end, psi: 0.1 * Double(i + 1)))
            d.add(
                line: Data(
                    #"{"kind":"window","model":"m","window":"5m","window_end":"\#(end)","records":100,"late":0,"rejected":1}"#
                        .utf8))
        }
        d.add(line: alertLine("was_warning", end: "2026-11-26T10:05:00Z", state: "firing", severity: "warning"))
        d.add(line: alertLine("was_warning", end: "2026-11-26T10:10:00Z", state: "resolved", severity: "warning"))
        d.add(line: alertLine("drifted<script>", end: "2026-11-26T10:15:00Z", state: "firing"))
        return d
    }

    @Test func featuresSortBySeverityThenWorstPSI() {
        let ranks = sample().normalized()[0].features.values.map(FeatureRank.init).sorted()
        #expect(ranks.map(\.name) == ["drifted<script>", "was_warning", "quiet_high_psi", "quiet_low_psi"])
        #expect(ranks.map(\.status) == [.firingCritical, .resolved, .quiet, .quiet])
    }

    /// A feature whose values all took the wrong type (an id sent as a string from one release on) is drawn as a
    /// problem, above quiet and resolved ones, even before (or without) any rule firing on it.
    @Test func aFeatureWithNoValidValueIsDrawnAsFailing() {
        var d = ReportData()
        d.add(line: featureLine("m", "flipped", end: "2026-11-26T10:05:00Z", psi: 0, count: 100))
        d.add(line: featureLine("m", "flipped", end: "2026-11-26T10:10:00Z", psi: 0, count: 0, invalid: 100))
        d.add(line: featureLine("m", "fine", end: "2026-11-26T10:10:00Z", psi: 0.01))
        d.add(line: featureLine("m", "recovered", end: "2026-11-26T10:05:00Z", psi: 0, count: 0, invalid: 100))
        d.add(line: featureLine("m", "recovered", end: "2026-11-26T10:10:00Z", psi: 0, count: 100))
        let ranks = d.normalized()[0].features.values.map(FeatureRank.init).sorted()
        #expect(ranks.map(\.name) == ["flipped", "fine", "recovered"])
        #expect(ranks.map(\.status) == [.noValidValues, .quiet, .quiet])
        let html = ReportPage(data: d).render()
        #expect(html.contains("<span class=\"badge invalid\">invalid</span> <b>flipped</b>"))
        #expect(html.contains("<details class=\"feature invalid\" open>"))
    }

    @Test func thePageEscapesNamesOrdersFeaturesAndDrawsThresholdsAndAlerts() {
        let html = ReportPage(data: sample()).render()
        #expect(!html.contains("<script>"))
        #expect(html.contains("drifted&lt;script&gt;"))
        let order = ["drifted&lt;script&gt;", "was_warning", "quiet_high_psi", "quiet_low_psi"].map {
            html.range(of: "<b>\($0)</b>")!.lowerBound
        }
        #expect(order == order.sorted())
        // Alerted features open, quiet ones collapsed.
        #expect(html.components(separatedBy: "<details class=\"feature quiet\">").count == 1)
        #expect(html.components(separatedBy: "<details class=\"feature ok\">").count == 3)
        #expect(html.components(separatedBy: " open><summary>").count == 3)
        // A PSI chart per feature with its two thresholds, shaded periods for the two alerted features.
        #expect(html.components(separatedBy: "aria-label=\"PSI\"").count == 5)
        #expect(html.components(separatedBy: "class=\"thr\"").count - 1 >= 4 * 3)
        #expect(html.components(separatedBy: "<rect class=\"alert\"").count == 1 + 2 * 3)
        #expect(html.contains("still firing"))
        // Nothing loaded from the network: the only URL is the SVG namespace.
        let urls = html.components(separatedBy: "http").count - 1
        let namespaces = html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1
        #expect(urls == namespaces)
    }

    /// Estimated performance from window lines and realized performance from the performance lines that come
    /// later: one chart per model, each series with the values of its lines.
    @Test func performanceIsDrawnEstimatedBesideRealized() {
        var d = ReportData()
        for (i, end) in ["2026-11-26T10:05:00Z", "2026-11-26T10:10:00Z", "2026-11-26T10:15:00Z"].enumerated() {
            d.add(
                line: Data(
                    #"{"kind":"window","model":"m","window":"5m","window_start":"x","window_end":"\#(end)","records":100,"estimated":{"records":100,"accuracy":0.9,"roc_auc":\#([0.8, 0.7, 0.6][i])}}"#
                        .utf8))
        }
        for (i, end) in ["2026-11-26T10:05:00Z", "2026-11-26T10:10:00Z"].enumerated() {
            d.add(
                line: Data(
                    #"{"kind":"performance","model":"m","window":"5m","window_start":"x","window_end":"\#(end)","predictions":100,"labeled":90,"unmatched":10,"task":"binary","accuracy":0.85,"roc_auc":\#([0.75, 0.55][i])}"#
                        .utf8))
        }
        let g = d.normalized()
        #expect(g.count == 1, "performance lines belong to their window's series")
        #expect(g[0].points.compactMap { $0.values["estimated_roc_auc"] } == [0.8, 0.7, 0.6])
        #expect(g[0].performance.compactMap { $0.values["realized_roc_auc"] } == [0.75, 0.55])
        let html = ReportPage(data: d).render()
        let chart = html.components(separatedBy: "aria-label=\"performance: estimated and realized\"")
        #expect(chart.count == 2, "one performance chart for the model")
        let svg = chart.count == 2 ? String(chart[1].prefix { $0 != "⟩" }) : ""
        for name in ["estimated_roc_auc", "realized_roc_auc", "estimated_accuracy", "realized_accuracy"] {
            #expect(svg.contains("<title>\(name)</title>"), "\(name) drawn")
        }
    }

    @Test func anEmptyDirectorySaysSo() {
        #expect(ReportPage(data: ReportData()).render().contains("No windows"))
    }

    @Test func clockFormatsUTC() {
        #expect(SVGChart.clock(0) == "1970-01-01 00:00")
        #expect(SVGChart.clock(1_795_693_500) == "2026-11-26 11:45")
        #expect(SVGChart.clock(-60) == "1969-12-31 23:59")
    }
}

@Suite struct SVGChartTests {
    @Test func overlappingAlertPeriodsShadeOnce() {
        let merged = SVGChart.merged([
            (start: 10, end: 30), (start: 0, end: 5), (start: 20, end: 40), (start: 35, end: nil), (start: 50, end: 60),
        ])
        #expect(merged.count == 2)
        #expect(merged[0].start == 0 && merged[0].end == 5)
        #expect(merged[1].start == 10 && merged[1].end == nil, "an open period swallows those after it")
    }
}

@Suite struct HTMLTests {
    @Test func numbersKeepThreeSignificantDigitsWithoutTrailingZeros() {
        #expect(HTML.number(0.05) == "0.05")
        #expect(HTML.number(0.8167) == "0.817")
        #expect(HTML.number(3001) == "3001")
        #expect(HTML.number(120) == "120")
        #expect(HTML.number(1e-9) == "1.00e-09")
        #expect(HTML.number(0) == "0")
    }

    @Test func escapingCoversMarkupAndAttributes() {
        #expect(HTML.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }
}

@Suite struct ReportAnchorTests {
    /// Models `a.b`, `a-b` and `a b` once shared one anchor: the summary's links all led to the first.
    @Test func modelsWhoseNamesReadAlikeGetTheirOwnAnchors() throws {
        var d = ReportData()
        for model in ["a.b", "a-b", "a b", "a_b"] {
            d.add(line: featureLine(model, "x", end: "2026-11-26T10:05:00Z", psi: 0.1))
        }
        let html = ReportPage(data: d).render()
        let ids = html.components(separatedBy: "<section id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(ids.count == 4)
        #expect(Set(ids).count == 4, "\(ids)")
        for id in ids { #expect(html.contains("href=\"#\(id)\"")) }
    }
}
