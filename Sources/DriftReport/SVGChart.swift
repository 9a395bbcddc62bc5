import DriftCore
import Foundation

/// A small line chart as inline SVG: measures over window end time, dashed threshold lines, shaded alert periods.
/// Inline so that the report is one file that needs no network and no script to view.
struct SVGChart {
    struct Line {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
    }

    struct Threshold {
        var value: Double
        var label: String
    }

    var title: String
    var lines: [Line]
    var thresholds: [Threshold] = []
    /// Alert periods, shaded; an open end runs to the right edge.
    var bands: [(start: Double, end: Double?)] = []
    /// Shared by the charts of one model so that they line up.
    var xRange: ClosedRange<Double>
    /// The y axis reaches at least this high, so that a flat zero line does not fill the chart with noise.
    var yAtLeast = 1e-9

    static let width = 520.0
    static let height = 130.0
    static let left = 48.0
    static let right = 8.0
    static let top = 18.0
    static let bottom = 18.0

    func render() -> String {
        let w = Self.width
        let h = Self.height
        let plotW = w - Self.left - Self.right
        let plotH = h - Self.top - Self.bottom
        let ys = lines.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        let yMax = Swift.max(ys.max() ?? 0, (thresholds.map(\.value).max() ?? 0) * 1.25, yAtLeast)
        let yMin = Swift.min(ys.min() ?? 0, 0)
        let xSpan = Swift.max(xRange.upperBound - xRange.lowerBound, 1)
        func px(_ x: Double) -> Double { Self.left + (x - xRange.lowerBound) / xSpan * plotW }
        func py(_ y: Double) -> Double { Self.top + (1 - (y - yMin) / (yMax - yMin)) * plotH }
        func f(_ v: Double) -> String { HTML.fixed1(v) }

        var s = "<svg class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" "
        s += "role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<text x=\"\(f(Self.left))\" y=\"12\" class=\"t\">\(HTML.escape(title))</text>"
        for band in Self.merged(bands) {
            let x0 = px(Swift.max(band.start, xRange.lowerBound))
            let x1 = px(Swift.min(band.end ?? xRange.upperBound, xRange.upperBound))
            s += "<rect class=\"alert\" x=\"\(f(x0))\" y=\"\(f(Self.top))\" width=\"\(f(Swift.max(x1 - x0, 2)))\" "
            s += "height=\"\(f(plotH))\"><title>alert</title></rect>"
        }
        s +=
            "<rect class=\"frame\" x=\"\(f(Self.left))\" y=\"\(f(Self.top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\"/>"
        for v in Self.valueTicks(yMin, yMax) {
            let y = py(v)
            s +=
                "<line class=\"grid\" x1=\"\(f(Self.left))\" x2=\"\(f(w - Self.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            s +=
                "<text class=\"ax\" x=\"\(f(Self.left - 4))\" y=\"\(f(y + 3))\" text-anchor=\"end\">\(HTML.number(v))</text>"
        }
        for tick in Self.timeTicks(xRange) {
            let x = px(tick.t)
            s +=
                "<line class=\"grid\" x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(Self.top))\" y2=\"\(f(h - Self.bottom))\"/>"
            s += "<text class=\"ax\" x=\"\(f(x))\" y=\"\(f(h - 4))\" text-anchor=\"middle\">\(tick.label)</text>"
        }
        // Threshold labels that would overlap (a large PSI squeezes 0.1 and 0.2 together) share one label.
        var labelled: [(y: Double, text: String)] = []
        for t in thresholds.sorted(by: { $0.value < $1.value }) {
            let y = py(t.value)
            s +=
                "<line class=\"thr\" x1=\"\(f(Self.left))\" x2=\"\(f(w - Self.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            let text = "\(t.label) \(HTML.number(t.value))"
            if let last = labelled.last, abs(last.y - y) < 10 {
                labelled[labelled.count - 1].text += ", " + text
            } else {
                labelled.append((y, text))
            }
        }
        for l in labelled {
            s += "<text class=\"tl\" x=\"\(f(w - Self.right - 2))\" y=\"\(f(l.y - 2))\">\(HTML.escape(l.text))</text>"
        }
        for line in lines {
            let pts = line.points.filter { $0.y.isFinite }
            guard !pts.isEmpty else { continue }
            if pts.count == 1 {
                s += "<circle cx=\"\(f(px(pts[0].x)))\" cy=\"\(f(py(pts[0].y)))\" r=\"2\" fill=\"\(line.color)\"/>"
            } else {
                let coords = pts.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                s += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\" points=\"\(coords)\">"
                s += "<title>\(HTML.escape(line.name))</title></polyline>"
            }
        }
        var legendX = Self.left + 16 + Double(title.count) * 7.6
        for line in lines where lines.count > 1 {
            s +=
                "<text x=\"\(f(legendX))\" y=\"12\" class=\"lg\" style=\"fill:\(line.color)\">■ \(HTML.escape(line.name))</text>"
            legendX += 14 + Double(line.name.count) * 6.5
        }
        return s + "</svg>"
    }

    /// Overlapping alert periods (several rules on one feature) as one shaded span each.
    static func merged(_ bands: [(start: Double, end: Double?)]) -> [(start: Double, end: Double?)] {
        var out: [(start: Double, end: Double?)] = []
        for b in bands.sorted(by: { $0.start < $1.start }) {
            if let last = out.last, last.end.map({ b.start <= $0 }) ?? true {
                let end: Double? = (last.end == nil || b.end == nil) ? nil : Swift.max(last.end!, b.end!)
                out[out.count - 1].end = end
            } else {
                out.append(b)
            }
        }
        return out
    }

    /// `2026-11-26 10:05` in UTC, the metric files' time zone.
    static func clock(_ t: Double) -> String {
        let text = EventTime(nanoseconds: Int64((t * 1e9).rounded(.down))).rfc3339
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5)
    }
}
