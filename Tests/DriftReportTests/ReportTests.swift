import DriftAlerts
import DriftCore
import DriftEvaluate
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
        #expect(d.lines == 5 && d.skipped == 1 && d.selfLines == 1, "driftd's own lines are not \"skipped\"")
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

    /// The overview lists the drifted features first, in order: firing critical, then firing, then resolved; within
    /// a state, the one that drifted longer first. Quiet features are not listed.
    @Test func theOverviewListsTheDriftedFeaturesFirstAndInOrder() {
        var d = ReportData()
        let ends = (1...8).map { "2026-11-26T10:\(String(format: "%02d", 5 * $0)):00Z" }
        for (i, end) in ends.enumerated() {
            d.add(line: featureLine("m", "long_warning", end: end, psi: i >= 2 ? 0.25 : 0.01))  // 6 windows ≥ 0.2
            d.add(line: featureLine("m", "short_warning", end: end, psi: i >= 6 ? 0.9 : 0.01))  // 2, but worse
            d.add(line: featureLine("m", "critical", end: end, psi: i == 7 ? 0.3 : 0.01))
            d.add(line: featureLine("m", "resolved", end: end, psi: 0.05))
            d.add(line: featureLine("m", "quiet", end: end, psi: 0.01))
        }
        d.add(line: alertLine("critical", end: ends[7], state: "firing"))
        d.add(line: alertLine("long_warning", end: ends[2], state: "firing", severity: "warning"))
        d.add(line: alertLine("short_warning", end: ends[6], state: "firing", severity: "warning"))
        d.add(line: alertLine("resolved", end: ends[1], state: "firing", severity: "warning"))
        d.add(line: alertLine("resolved", end: ends[3], state: "resolved", severity: "warning"))
        let html = ReportPage(data: d).render()
        let overview =
            html.components(separatedBy: "<ol class=\"drifted\">").dropFirst().first?
            .components(separatedBy: "</ol>").first ?? ""
        let listed = overview.components(separatedBy: "<li><b>").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(listed == ["critical", "long_warning", "short_warning", "resolved"])
        #expect(overview.contains("6 of 8 windows drifted"))
        // The heatmap has a row per feature, most drifted first, and colours the critical windows.
        let heat =
            html.components(separatedBy: "aria-label=\"overview\"").dropFirst().first?
            .components(separatedBy: "</svg>").first ?? ""
        let rows = heat.components(separatedBy: "text-anchor=\"end\">").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(rows.prefix(5) == ["critical", "long_warning", "short_warning", "resolved", "quiet"])
        #expect(heat.contains(OverviewHeatmap.State.critical.color))
    }

    /// The reference's distribution beside the worst window's, as shares of each: the bars' values are those of
    /// the reference's bin counts and of the window's `histogram`; without a reference, the window's top values.
    @Test func distributionsAreDrawnFromTheHistogramBesideTheReference() throws {
        var d = ReportData()
        var lines: [Data] = []
        for (end, histogram) in [("2026-11-26T10:05:00Z", "[20,30,50]"), ("2026-11-26T10:10:00Z", "[10,30,60]")] {
            let psi = end.hasSuffix("10:00Z") ? 0.4 : 0.05
            lines.append(
                Data(
                    #"{"kind":"feature","model":"m","window":"5m","window_end":"\#(end)","feature":"x","type":"numeric","count":100,"missing":0,"invalid":0,"histogram":\#(histogram),"drift":{"psi":\#(psi)}}"#
                        .utf8))
            lines.append(
                Data(
                    #"{"kind":"feature","model":"m","window":"5m","window_end":"\#(end)","feature":"c","type":"categorical","count":100,"missing":0,"invalid":0,"top":[{"value":"a","count":75},{"value":"b","count":25}],"drift":{"psi":0.01}}"#
                        .utf8))
        }
        for line in lines { d.add(line: line) }
        let g = d.normalized()[0]
        #expect(g.features["x"]?.worst?.histogram == [10, 30, 60], "the worst window (PSI 0.4)")
        var x = FeatureReference(type: .numeric, records: 100, count: 100, missing: 0, invalid: 0)
        x.bins = NumericBins(edges: [1, 2])
        x.binCounts = [50, 30, 20]
        let reference = ReferenceProfile(chunk: "5m", models: ["m": .init(records: 100, features: ["x": x])])
        let html = ReportPage(data: d, reference: reference).render()
        for (label, ref, win) in [("≤ 1", 0.5, 0.1), ("≤ 2", 0.3, 0.3), ("&gt; 2", 0.2, 0.6)] {
            #expect(html.contains("<title>reference \(label): \(HTML.number(ref))</title>"), "\(label)")
            #expect(html.contains("<title>window \(label): \(HTML.number(win))</title>"), "\(label)")
        }
        // The categorical feature has no reference here: its top values, as shares.
        #expect(html.contains("<title>window a: 0.75</title>") && html.contains("<title>window b: 0.25</title>"))

        // A window asked for (`--at` 10:03: the window ending at 10:05) is drawn in the worst one's place.
        var chosen = ReportData(chosen: Double(EventTime(rfc3339: "2026-11-26T10:03:00Z")!.nanoseconds) / 1e9)
        for line in lines { chosen.add(line: line) }
        #expect(chosen.normalized()[0].features["x"]?.chosen?.histogram == [20, 30, 50])
        let page = ReportPage(data: chosen, reference: reference).render()
        #expect(page.contains("chosen window, 2026-11-26 10:05") && !page.contains("worst window"))
        for (label, win) in [("≤ 1", 0.2), ("≤ 2", 0.3), ("&gt; 2", 0.5)] {
            #expect(page.contains("<title>window \(label): \(HTML.number(win))</title>"), "\(label)")
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
