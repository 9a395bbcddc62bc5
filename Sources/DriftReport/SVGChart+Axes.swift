import DriftCore
import Foundation

/// Readable axes: a few round values on the y axis and round times on the x axis, each with a light grid line.
extension SVGChart {
    /// Round values from `low` to `high`: steps of 1, 2 or 5 × 10^k, at most about five of them.
    static func valueTicks(_ low: Double, _ high: Double) -> [Double] {
        let span = high - low
        guard span > 0, span.isFinite else { return [low] }
        let raw = span / 4
        let magnitude = pow10(floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var v = (low / step).rounded(.up) * step
        while v <= high + step * 1e-9 && ticks.count < 12 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return ticks
    }

    static func pow10(_ e: Double) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<Int(e) { r *= 10 } } else { for _ in 0..<Int(-e) { r /= 10 } }
        return r
    }

    /// Round times (epoch seconds) within the range, at most six, and how to label them.
    static func timeTicks(_ range: ClosedRange<Double>) -> [(t: Double, label: String)] {
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return [(range.lowerBound, clock(range.lowerBound))] }
        let steps: [Double] = [60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 2_592_000]
        let step = steps.first { span / $0 <= 5 } ?? steps.last!
        var t = (range.lowerBound / step).rounded(.up) * step
        var ticks: [(Double, String)] = []
        while t <= range.upperBound && ticks.count < 8 {
            let text = clock(t)  // 2026-11-26 10:05
            ticks.append((t, step >= 86_400 ? String(text.dropFirst(5).prefix(5)) : String(text.dropFirst(11))))
            t += step
        }
        return ticks
    }
}
