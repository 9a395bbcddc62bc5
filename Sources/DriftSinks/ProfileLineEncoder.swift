import DriftCore
import DriftStats
import Foundation

/// Encodes a window's mergeable profile lines (`profiles.jsonl`, schema `driftd.profile.v1`, DESIGN §6): per
/// feature, exact counts, sums shifted by the reference mean, counts on the reference's bins, top values, and
/// DataSketches' KLL doubles and HLL_8 sketches in base64 — what Spark SQL, Druid or `driftd merge` sum and union
/// across instances and windows. Pure.
public enum ProfileLineEncoder {
    public static let schema = "driftd.profile.v1"
    /// Top values written per feature: every counter the window's heavy-hitter sketch keeps.
    public static let maxTop = 64

    /// What a profile line needs beyond the window: where it comes from, and the reference it was binned on.
    public struct Context: Sendable {
        /// `output.instance`.
        public var instance: String
        /// The reference's fingerprint (lines with equal `ref` have the same bins); nil without a reference.
        public var ref: String?
        /// Each feature's shift: the reference mean, or 0.
        public var shift: @Sendable (_ model: String, _ feature: String) -> Double

        public init(
            instance: String, ref: String?, shift: @escaping @Sendable (String, String) -> Double = { _, _ in 0 }
        ) {
            self.instance = instance
            self.ref = ref
            self.shift = shift
        }
    }

    /// One line per feature of `report` (none when it carries no state), each ending in a newline.
    public static func lines(for report: WindowReport, context: Context) -> [[UInt8]] {
        guard let state = report.state else { return [] }
        let start = report.start.rfc3339
        let end = report.end.rfc3339
        return state.map { line($0, report, start, end, context) }
    }

    static func line(
        _ f: ClosedWindow.Feature, _ r: WindowReport, _ start: String, _ end: String, _ context: Context
    ) -> [UInt8] {
        let a = f.accumulator
        var w = JSONWriter()
        w.beginObject()
        w.field("schema", schema)
        w.field("model", r.model)
        if let version = r.modelVersion { w.field("model_version", version) } else { w.fieldNull("model_version") }
        w.field("instance", context.instance)
        w.field("window", r.window)
        w.field("window_start", start)
        w.field("window_end", end)
        w.field("feature", f.name)
        w.field("type", f.type.rawValue)
        w.field("records", r.records)
        w.field("n", a.count(as: f.type))
        w.field("missing", a.missing(as: f.type, records: r.records))
        w.field("invalid", a.invalid(as: f.type))
        switch f.type {
        case .numeric:
            // Sums of (value − shift) over the finite values: merged sums stay accurate when values are far from 0.
            let m = a.numeric.moments
            let shift = context.shift(r.model, f.name)
            let d = m.count > 0 ? m.mean - shift : 0
            w.field("non_finite", a.numeric.nonFinite)
            w.field("shift", shift)
            w.field("sum", Double(m.count) * d)
            w.field("sum_sq", m.m2 + Double(m.count) * d * d)
            w.field("min", m.count > 0 ? m.min : nil)
            w.field("max", m.count > 0 ? m.max : nil)
        case .categorical:
            w.field("shift", 0)
            w.field("sum", 0)
            w.field("sum_sq", 0)
            w.fieldNull("min")
            w.fieldNull("max")
        }
        w.beginArray("hist")
        for c in a.bins { w.element(c) }
        w.endArray()
        if let ref = context.ref { w.field("ref", ref) } else { w.fieldNull("ref") }
        w.beginArray("top")
        if f.type == .categorical {
            for t in a.categorical.top(maxTop) {
                w.beginObject()
                w.field("value", t.value.utf8Prefix(MetricLineEncoder.maxValueBytes))
                w.field("count", t.count)
                w.endObject()
            }
        }
        w.endArray()
        w.field("top_error", f.type == .categorical ? a.categorical.heavyHitters.maxError : 0)
        w.field("out_of_range", a.outOfRange)
        w.field("unseen", a.unseen)
        if f.type == .numeric, a.numeric.sketch.count > 0 {
            let kll = DataSketchesKLL(a.numeric.sketch)
            w.beginObject("kll")
            w.field("fmt", "datasketches.kll_doubles")
            w.field("k", kll.k)
            w.field("b64", Data(kll.serialized()).base64EncodedString())
            w.endObject()
        } else {
            w.fieldNull("kll")
        }
        let hll = (f.type == .numeric ? a.numberHLL : a.textHLL) ?? HLL8Sketch()
        w.beginObject("hll")
        w.field("fmt", "datasketches.hll_8")
        w.field("lg_k", hll.lgK)
        w.field("b64", Data(hll.serialized()).base64EncodedString())
        w.endObject()
        w.endObject()
        w.newline()
        return w.bytes
    }
}
