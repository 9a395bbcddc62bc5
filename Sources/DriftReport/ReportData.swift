import DriftCore
import DriftRecords
import Foundation

/// What the report shows, gathered from metric lines in any order. A window written twice (a replay after a
/// crash, DESIGN §8) keeps its last line; lines that are not metric lines are counted and skipped.
public struct ReportData: Sendable {
    /// One window's values, keyed by measure name (`psi`, `missing_rate`, `records`, …).
    public struct Point: Sendable, Equatable {
        public var end: Double  // window end, epoch seconds
        public var values: PointValues
    }

    /// From a firing line to its resolved line; `end` is nil while the alert still fires at the end of the data.
    public struct AlertPeriod: Sendable, Equatable {
        public var name: String
        public var severity: String
        public var start: Double
        public var end: Double?
    }

    /// One window's distribution of a feature: counts on the reference's bins (`histogram`: numeric bins, or the
    /// reference's categories then `other`) and its most frequent values.
    public struct Distribution: Sendable, Equatable {
        public var end: Double
        public var psi: Double?
        public var histogram: [Double]
        public var top: [(value: String, count: Double)]

        public static func == (a: Distribution, b: Distribution) -> Bool {
            a.end == b.end && a.psi == b.psi && a.histogram == b.histogram
                && a.top.map(\.value) == b.top.map(\.value) && a.top.map(\.count) == b.top.map(\.count)
        }
    }

    /// One feature of one model at one window size.
    public struct Series: Sendable {
        public var model: String
        public var window: String
        public var feature: String
        public var type: String
        public var points: [Point] = []
        public var alerts: [AlertPeriod] = []
        /// The window with the largest PSI (the latest of equals), and the last window: what the report draws
        /// against the reference. Two per feature, whatever the number of windows.
        public var worst: Distribution?
        public var last: Distribution?
    }

    /// One model at one window size: its window-level points and alerts, and its features.
    public struct Group: Sendable {
        public var model: String
        public var window: String
        public var points: [Point] = []
        /// From `kind: performance` lines: realized performance once the labels joined later are final.
        public var performance: [Point] = []
        public var alerts: [AlertPeriod] = []
        public var features: [String: Series] = [:]
        /// Features that windows had and the reference did not (`new_features` of the window lines).
        public var newFeatures: Set<String> = []
    }

    /// By series: a model at a window size.
    public private(set) var groups: [SeriesID: Group] = [:]
    public private(set) var lines = 0
    public private(set) var skipped = 0
    /// driftd's own `kind: self` lines (its counters): read, not drawn.
    public private(set) var selfLines = 0
    /// The parser's tape, reused line after line.
    var tape = JSONTape()
    var lastEnd = (text: "", seconds: 0.0)

    public init() {}

    static let featureMeasures = [
        "psi", "js", "ks", "wasserstein_norm", "chi2_p", "out_of_range", "missing_rate_change", "invalid_rate_change",
    ]

    /// Adds one metric line (a JSON object).
    public mutating func add(line: Data) {
        line.withUnsafeBytes { add(line: $0) }
    }

    /// Adds one metric line, its bytes (no newline).
    public mutating func add(line text: UnsafeRawBufferPointer) {
        lines += 1
        guard (try? tape.parse(text)) != nil, tape[0].kind == .object else {
            skipped += 1
            return
        }
        let o = MetricLine(tape: tape, text: text)
        let kind = o.string("kind")
        if kind == "self" {
            selfLines += 1
            return
        }
        guard let kind, let model = o.string("model"), let window = o.string("window"),
            let endText = o.string("window_end")
        else {
            skipped += 1
            return
        }
        // Lines come a window at a time: its end is parsed once.
        if endText != lastEnd.text {
            guard let end = EventTime(rfc3339: endText) else {
                skipped += 1
                return
            }
            lastEnd = (endText, Double(end.nanoseconds) / 1e9)
        }
        let t = lastEnd.seconds
        // Each version of a model is a series of its own (`schema.model_version`).
        let shown = o.string("model_version").map { "\(model) @ \($0)" } ?? model
        let key = SeriesID(model: shown, window: window)
        guard ["feature", "window", "alert", "performance"].contains(kind) else { return }
        if kind == "feature" && o.string("feature") == nil {
            skipped += 1
            return
        }
        // Changed in place: a copy of the group per line copied its features each time (16,000 features: 40 s).
        Self.add(o, kind: kind, at: t, to: &groups[key, default: Group(model: shown, window: window)])
    }

    private static func add(_ o: MetricLine, kind: String, at t: Double, to group: inout Group) {
        let (model, window) = (group.model, group.window)
        switch kind {
        case "feature":
            let feature = o.string("feature")!
            Self.addFeature(
                o, at: t,
                to: &group.features[feature, default: Series(model: model, window: window, feature: feature, type: "")])
        case "window":
            var values = PointValues()
            for key in ["records", "late", "rejected", "accuracy", "mae"] {
                if let v = o.double(key) { values[key] = v }
            }
            // Realized where the records carry the actual; estimated (CBPE) where the reference can.
            for key in ["accuracy", "roc_auc", "f1"] {
                if let v = o.double(key) { values["realized_" + key] = v }
            }
            for (key, v) in o.object("estimated")?.numbers ?? [] where key != "records" {
                values["estimated_" + key] = v
            }
            group.points.append(Point(end: t, values: values))
            for name in o.strings("new_features") ?? [] { group.newFeatures.insert(name) }
        case "performance":
            var values = PointValues()
            for key in ["accuracy", "roc_auc", "f1", "mae", "rmse"] {
                if let v = o.double(key) { values["realized_" + key] = v }
            }
            for key in ["labeled", "unmatched"] {
                if let v = o.double(key) { values[key] = v }
            }
            group.performance.append(Point(end: t, values: values))
        case "alert":
            let feature = o.string("feature") ?? ""
            let name = o.string("alertname") ?? ""
            let severity = o.string("severity") ?? ""
            let firing = o.string("state") == "firing"
            if feature.isEmpty {
                Self.record(&group.alerts, name: name, severity: severity, firing: firing, at: t)
            } else {
                Self.record(
                    &group.features[feature, default: Series(model: model, window: window, feature: feature, type: "")]
                        .alerts,
                    name: name, severity: severity, firing: firing, at: t)
            }
        default:
            return
        }
    }

    private static func addFeature(_ o: MetricLine, at t: Double, to series: inout Series) {
        if series.type.isEmpty, let type = o.string("type") { series.type = type }
        let values = Self.featureValues(o)
        series.points.append(Point(end: t, values: values))
        let histogram = o.doubles("histogram") ?? []
        let top = (o.objects("top") ?? []).compactMap { e -> (value: String, count: Double)? in
            guard let v = e.string("value"), let c = e.double("count") else { return nil }
            return (v, c)
        }
        guard !histogram.isEmpty || !top.isEmpty else { return }
        let d = Distribution(end: t, psi: values["psi"], histogram: histogram, top: top)
        if series.last.map({ t >= $0.end }) ?? true { series.last = d }
        let worst = series.worst?.psi ?? -1
        if let psi = d.psi, psi > worst || (psi == worst && t >= series.worst!.end) { series.worst = d }
    }

    /// Every group with its points in time order, one point per window end (the last one written wins).
    public func normalized() -> [Group] {
        groups.values.map { g in
            var g = g
            g.points = Self.deduplicated(g.points)
            g.performance = Self.deduplicated(g.performance)
            for (name, s) in g.features { g.features[name]?.points = Self.deduplicated(s.points) }
            return g
        }.sorted { ($0.model, $0.window) < ($1.model, $1.window) }
    }

    static func featureValues(_ o: MetricLine) -> PointValues {
        var values = PointValues()
        for key in ["count", "missing", "invalid", "mean", "p50", "unseen"] {
            if let v = o.double(key) { values[key] = v }
        }
        if let unseen = values["unseen"], let count = values["count"], count > 0 {
            values["unseen_rate"] = unseen / count
        }
        if let drift = o.object("drift") {
            for key in featureMeasures { if let v = drift.double(key) { values[key] = v } }
        }
        let total = (values["count"] ?? 0) + (values["missing"] ?? 0) + (values["invalid"] ?? 0)
        if total > 0 {
            values["missing_rate"] = (values["missing"] ?? 0) / total
            values["invalid_rate"] = (values["invalid"] ?? 0) / total
        }
        return values
    }

    static func deduplicated(_ points: [Point]) -> [Point] {
        var byEnd: [Double: Int] = [:]
        var out: [Point] = []
        for p in points {
            if let i = byEnd[p.end] {
                out[i] = p
            } else {
                byEnd[p.end] = out.count
                out.append(p)
            }
        }
        return out.sorted { $0.end < $1.end }
    }

    /// A firing line opens a period unless one of the same name is open (a replayed duplicate); a resolved line
    /// closes the open one.
    static func record(_ periods: inout [AlertPeriod], name: String, severity: String, firing: Bool, at t: Double) {
        let open = periods.lastIndex { $0.name == name && $0.end == nil }
        if firing {
            if open == nil { periods.append(AlertPeriod(name: name, severity: severity, start: t, end: nil)) }
        } else if let i = open {
            periods[i].end = t
        }
    }
}
