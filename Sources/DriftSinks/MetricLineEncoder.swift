import DriftCore
import DriftStats

/// Encodes window reports as the metric lines of DESIGN §6, field names exactly as there. Pure.
///
/// The feature lines come first and the window line last: a window line in the file means every line of that
/// window was written before it.
public enum MetricLineEncoder {
    /// Values in `top` are cut to this many bytes, so that a line stays well under 32 KiB.
    public static let maxValueBytes = 200

    /// A window line names at most this many new features (`new_feature_count` counts them all): names are up to
    /// 256 bytes, and a line stays under 32 KiB.
    public static let maxNewFeatures = 20

    /// All lines of one window, each ending in a newline.
    public static func lines(for report: WindowReport) -> [[UInt8]] {
        lines(for: report, alerts: [])
    }

    /// The members every line of a window has after its `kind` (model, version, window, start and end), encoded
    /// once for all its lines: with thousands of models a window holds a few records, and formatting and escaping
    /// them per line took a sixth of the time spent writing.
    struct Header {
        let members: ArraySlice<UInt8>

        init(_ r: WindowReport) {
            var w = JSONWriter(capacity: 128)
            w.beginObject()
            w.field(Key.model, r.model)
            if let version = r.modelVersion { w.field(Key.modelVersion, version) }
            w.field(Key.window, r.window)
            w.field(Key.windowStart, r.start.rfc3339)
            w.field(Key.windowEnd, r.end.rfc3339)
            w.endObject()
            members = w.membersOfObject
        }
    }

    public static func windowLine(_ r: WindowReport) -> [UInt8] {
        var w = JSONWriter()
        windowLine(r, header: Header(r), into: &w)
        return w.bytes
    }

    /// Appends the window line (a `kind: performance` line for a report of labels joined later) to `w`.
    static func windowLine(_ r: WindowReport, header: Header, into w: inout JSONWriter) {
        if r.joined != nil {
            performanceLine(r, header: header, into: &w)
            return
        }
        w.beginObject()
        w.field("kind", "window")
        w.members(header.members)
        w.field("records", r.records)
        w.field("late", r.late)
        w.field("rejected", r.rejected)
        if let new = r.newFeatures {
            w.field("new_feature_count", new.count)
            w.beginArray("new_features")
            for name in new.prefix(maxNewFeatures) { w.element(name) }
            w.endArray()
        }
        realized(&w, r.performance, task: r.performanceTask)
        if let e = r.estimated {
            w.beginObject("estimated")
            w.field("records", e.records)
            w.field("accuracy", e.accuracy)
            w.field("precision", e.precision)
            w.field("recall", e.recall)
            w.field("f1", e.f1)
            w.field("roc_auc", e.rocAUC)
            w.endObject()
        }
        w.endObject()
        w.newline()
    }

    public static func featureLine(_ f: FeatureSummary, of r: WindowReport) -> [UInt8] {
        var w = JSONWriter()
        featureLine(f, header: Header(r), into: &w)
        return w.bytes
    }

    /// Appends the feature line of `f` to `w`.
    static func featureLine(_ f: FeatureSummary, header: Header, into w: inout JSONWriter) {
        w.beginObject()
        w.field(Key.kind, "feature")
        w.members(header.members)
        w.field(Key.feature, f.feature)
        w.field(Key.type, f.type.rawValue)
        w.field(Key.count, f.count)
        w.field(Key.missing, f.missing)
        w.field(Key.invalid, f.invalid)
        if f.typeChanged, let observed = f.observedType { w.field(Key.observedType, observed.rawValue) }
        switch f.type {
        case .numeric:
            w.field(Key.nonFinite, f.nonFinite)
            w.field(Key.mean, f.mean)
            w.field(Key.std, f.std)
            w.field(Key.min, f.min)
            w.field(Key.max, f.max)
            for (name, value) in zip(Key.quantiles, f.quantiles) { w.field(name, value) }
        case .categorical:
            w.field(Key.distinct, f.distinct ?? 0)
            w.beginArray(Key.top)
            for t in f.top {
                w.beginObject()
                w.field(Key.value, t.value.utf8Prefix(maxValueBytes))
                w.field(Key.count, t.count)
                w.endObject()
            }
            w.endArray()
            w.field(Key.topError, f.topError ?? 0)
            if let unseen = f.unseen { w.field(Key.unseen, unseen) }
        }
        if !f.histogram.isEmpty {
            w.beginArray(Key.histogram)
            for c in f.histogram { w.element(c) }
            w.endArray()
        }
        if let d = f.drift { drift(&w, d) }
        w.endObject()
        w.newline()
    }

    /// The names of the members every window's lines have, encoded once (``JSONKey``).
    private enum Key {
        static let kind = JSONKey("kind")
        static let model = JSONKey("model")
        static let modelVersion = JSONKey("model_version")
        static let window = JSONKey("window")
        static let windowStart = JSONKey("window_start")
        static let windowEnd = JSONKey("window_end")
        static let feature = JSONKey("feature")
        static let type = JSONKey("type")
        static let count = JSONKey("count")
        static let missing = JSONKey("missing")
        static let invalid = JSONKey("invalid")
        static let observedType = JSONKey("observed_type")
        static let nonFinite = JSONKey("non_finite")
        static let mean = JSONKey("mean")
        static let std = JSONKey("std")
        static let min = JSONKey("min")
        static let max = JSONKey("max")
        static let quantiles = FeatureSummary.quantileNames.map(JSONKey.init)
        static let distinct = JSONKey("distinct")
        static let top = JSONKey("top")
        static let value = JSONKey("value")
        static let topError = JSONKey("top_error")
        static let unseen = JSONKey("unseen")
        static let histogram = JSONKey("histogram")
    }

    /// The `drift` object: only the measures that apply.
    private static func drift(_ w: inout JSONWriter, _ d: DriftValues) {
        w.beginObject("drift")
        let fields: [(String, Double?)] = [
            ("psi", d.psi), ("js", d.js), ("ks", d.ks), ("wasserstein", d.wasserstein),
            ("wasserstein_norm", d.wassersteinNorm), ("chi2_p", d.chi2P), ("out_of_range", d.outOfRange),
            ("missing_rate_change", d.missingRateChange), ("invalid_rate_change", d.invalidRateChange),
        ]
        for (name, value) in fields where value != nil { w.field(name, value) }
        w.endObject()
    }

}
