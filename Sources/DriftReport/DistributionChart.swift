import DriftEvaluate

/// A feature's distribution in one window beside the reference's, as shares of each: the reference's bins for a
/// numeric feature (`≤ edge`, the last `> edge`), its categories then `other` for a categorical one. Without a
/// reference, the window's most frequent values alone. Inline SVG, bars side by side.
struct DistributionChart {
    var title: String
    var labels: [String]
    var reference: [Double]?
    var window: [Double]

    static let width = 520.0
    static let height = 150.0

    /// The window's histogram against the reference's bins; nil when they do not line up (another reference).
    init?(title: String, reference r: FeatureReference, window d: ReportData.Distribution) {
        let labels: [String]
        if let categories = r.categories {
            labels = categories + ["other"]
        } else if let edges = r.bins?.edges, !edges.isEmpty {
            labels = edges.map { "≤ " + HTML.number($0) } + ["> " + HTML.number(edges.last!)]
        } else {
            return nil
        }
        guard d.histogram.count == labels.count, r.binCounts.count == labels.count else { return nil }
        self.title = title
        self.labels = labels
        reference = Self.shares(r.binCounts)
        window = Self.shares(d.histogram)
    }

    /// The window's top values (counts as shares of the values shown), with no reference to compare.
    init?(title: String, top d: ReportData.Distribution) {
        guard !d.top.isEmpty else { return nil }
        self.title = title
        labels = d.top.map(\.value)
        reference = nil
        window = Self.shares(d.top.map(\.count))
    }

    static func shares(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? $0 / total : 0 }
    }

    func render() -> String {
        let (w, h, left, bottom, top) = (Self.width, Self.height, 40.0, 34.0, 30.0)
        let plotW = w - left - 8
        let plotH = h - top - bottom
        let yMax = max((reference ?? []).max() ?? 0, window.max() ?? 0, 1e-9)
        let slot = plotW / Double(max(labels.count, 1))
        let bar = reference == nil ? slot * 0.7 : slot * 0.38
        func f(_ v: Double) -> String { HTML.fixed1(v) }
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" "
        s += "role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<text x=\"\(f(left))\" y=\"12\" class=\"t\">\(HTML.escape(title))</text>"
        if reference != nil {
            s += "<text x=\"\(f(w - 8))\" y=\"26\" text-anchor=\"end\" class=\"lg\">"
            s +=
                "<tspan style=\"fill:#9e9e9e\">■ reference</tspan> <tspan style=\"fill:#1f77b4\">■ window</tspan></text>"
        }
        for v in SVGChart.valueTicks(0, yMax) {
            let y = top + (1 - v / yMax) * plotH
            s += "<line class=\"grid\" x1=\"\(f(left))\" x2=\"\(f(w - 8))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            s +=
                "<text class=\"ax\" x=\"\(f(left - 4))\" y=\"\(f(y + 3))\" text-anchor=\"end\">\(HTML.number(v))</text>"
        }
        for (i, label) in labels.enumerated() {
            let x0 = left + Double(i) * slot + (slot - (reference == nil ? bar : 2 * bar)) / 2
            if let reference {
                let rh = reference[i] / yMax * plotH
                s +=
                    "<rect class=\"ref\" x=\"\(f(x0))\" y=\"\(f(top + plotH - rh))\" width=\"\(f(bar))\" height=\"\(f(rh))\" "
                s +=
                    "fill=\"#9e9e9e\"><title>reference \(HTML.escape(label)): \(HTML.number(reference[i]))</title></rect>"
            }
            let x1 = reference == nil ? x0 : x0 + bar
            let wh = window[i] / yMax * plotH
            s +=
                "<rect class=\"win\" x=\"\(f(x1))\" y=\"\(f(top + plotH - wh))\" width=\"\(f(bar))\" height=\"\(f(wh))\" "
            s += "fill=\"#1f77b4\"><title>window \(HTML.escape(label)): \(HTML.number(window[i]))</title></rect>"
            let short = label.count > 10 ? String(label.prefix(9)) + "…" : label
            s +=
                "<text class=\"ax\" x=\"\(f(left + (Double(i) + 0.5) * slot))\" y=\"\(f(h - bottom + 12 + Double(i % 2) * 11))\" "
            s += "text-anchor=\"middle\">\(HTML.escape(short))</text>"
        }
        return s + "</svg>"
    }
}
