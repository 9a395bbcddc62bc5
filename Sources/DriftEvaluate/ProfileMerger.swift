import DriftCore
import DriftStats

/// Merges profile lines (``ProfileRecord``) of any number of instances and of windows that tile a larger window
/// into that window's reports, with drift against the reference (DESIGN §9 `driftd merge`). Counts, sums and
/// histograms add exactly; KLL and HLL sketches merge within their bounds; top values add, their error bounds too.
/// A line that does not tile the window, or repeats an (instance, window, feature) already taken, is refused and
/// said why, never summed twice. Pure.
public struct ProfileMerger {
    public let size: Int64
    public let label: String
    var seen: Set<String> = []
    var groups: [GroupKey: Group] = [:]

    struct GroupKey: Hashable, Comparable {
        var model: String
        var version: String
        var start: Int64
        static func < (a: GroupKey, b: GroupKey) -> Bool {
            (a.model, a.version, a.start) < (b.model, b.version, b.start)
        }
    }

    /// An instance's window inside the merged one.
    struct Part: Hashable {
        var instance: String
        var window: String
        var start: Int64
        var length: Int64
    }

    struct Group {
        var version: String?
        var parts: [Part: Int] = [:]  // records
        var features: [String: Feature] = [:]
    }

    struct Feature {
        var type: FeatureType
        var parts: Set<Part> = []
        var n = 0, missing = 0, invalid = 0, nonFinite = 0, outOfRange = 0, unseen = 0, topError = 0
        var moments = Moments()
        var kll: DataSketchesKLL?
        var hll = HLL8Sketch()
        var hist: [Int] = []
        var ref: String??
        var top: [String: Int] = [:]
    }

    /// - Parameters: size: the merged window's length (a multiple of every merged line's); label: its name (`1h`).
    public init(size: Span, label: String) {
        self.size = size.nanoseconds
        self.label = label
    }

    /// Takes a line; returns why it was refused, or nil.
    public mutating func add(_ r: ProfileRecord) -> String? {
        let start = r.start.nanoseconds
        let length = r.end.nanoseconds - start
        let target = start >= 0 ? start / size * size : (start - size + 1) / size * size
        let at = "\(r.instance) \(r.model) \(r.window) \(r.start.rfc3339) \(r.feature)"
        guard length > 0, size % length == 0, r.end.nanoseconds <= target + size else {
            return "\(at): a \(r.window) window does not tile \(label) windows"
        }
        let id = [r.instance, r.model, r.modelVersion ?? "", r.window, String(start), r.feature].joined(
            separator: "\u{1F}")
        guard seen.insert(id).inserted else { return "\(at): a duplicate line, not summed twice" }
        let key = GroupKey(model: r.model, version: r.modelVersion ?? "", start: target)
        var group = groups[key] ?? Group(version: r.modelVersion)
        let part = Part(instance: r.instance, window: r.window, start: start, length: length)
        group.parts[part] = r.records
        var f = group.features[r.feature] ?? Feature(type: r.type)
        defer {
            group.features[r.feature] = f
            groups[key] = group
        }
        guard f.type == r.type else {
            return "\(at): \(r.type.rawValue) here, \(f.type.rawValue) in other lines; left out"
        }
        f.parts.insert(part)
        f.n += r.n
        f.missing += r.missing
        f.invalid += r.invalid
        f.nonFinite += r.nonFinite
        f.outOfRange += r.outOfRange
        f.unseen += r.unseen
        f.topError += r.topError
        f.moments.merge(r.moments)
        if let kll = r.kll {
            if f.kll == nil { f.kll = kll } else { f.kll!.merge(kll) }
        }
        f.hll.merge(r.hll)
        for t in r.top { f.top[t.value, default: 0] += t.count }
        switch f.ref {
        case nil:
            f.ref = .some(r.ref)
            f.hist = r.hist
        case .some(let ref) where ref == r.ref && f.hist.count == r.hist.count:
            for i in r.hist.indices { f.hist[i] += r.hist[i] }
        default:
            // Bins of another reference: no histogram for this window (the rest still merges).
            f.hist = []
            return "\(at): binned on another reference; the merged window has no histogram for it"
        }
        return nil
    }

    /// Windows an instance covered only in part (no line for part of the merged window: it was idle, or lines
    /// are missing), one message each.
    public var gaps: [String] {
        var out: [String] = []
        for (key, group) in groups.sorted(by: { $0.key < $1.key }) {
            var covered: [String: Int64] = [:]
            for part in group.parts.keys { covered[part.instance, default: 0] += part.length }
            for (instance, length) in covered.sorted(by: { $0.key < $1.key }) where length < size {
                out.append(
                    "\(instance) \(key.model) \(EventTime(nanoseconds: key.start).rfc3339): lines cover "
                        + "\(length / 1_000_000_000)s of the \(label) window")
            }
        }
        return out
    }

    /// The merged windows, by model, version and start, compared with `reference`.
    public func reports(reference: ReferenceProfile?) -> [WindowReport] {
        groups.sorted(by: { $0.key < $1.key }).map { key, group in
            let records = group.parts.values.reduce(0, +)
            let features = reference?.models[key.model]?.features
            var summaries: [FeatureSummary] = []
            for (name, f) in group.features.sorted(by: { $0.key < $1.key }) {
                // Records of the windows that have no line for the feature: it was missing there.
                let absent = group.parts.filter { !f.parts.contains($0.key) }.reduce(0) { $0 + $1.value }
                var s = summary(name, f, missing: f.missing + absent)
                if let r = features?[name] {
                    s.drift = DriftEvaluator.measure(
                        DriftEvaluator.Window(
                            records: records, missing: s.missing, invalid: f.invalid, bins: f.hist,
                            items: { f.kll?.weightedItems() ?? [] }, finite: f.moments.count,
                            outOfRange: f.outOfRange), reference: r)
                    s.histogram = f.hist
                    if f.type == .categorical { s.unseen = f.unseen }
                }
                summaries.append(s)
            }
            var report = WindowReport(
                model: key.model, window: label, start: EventTime(nanoseconds: key.start),
                end: EventTime(nanoseconds: key.start + size), records: records, late: 0, rejected: 0,
                features: summaries)
            report.modelVersion = group.version
            if let features {
                report.newFeatures = group.features.filter {
                    $0.value.n + $0.value.invalid > 0 && features[$0.key] == nil
                }
                .keys.sorted()
            }
            return report
        }
    }

    func summary(_ name: String, _ f: Feature, missing: Int) -> FeatureSummary {
        var s = FeatureSummary(feature: name, type: f.type, accumulator: FeatureAccumulator(), records: 0)
        s.count = f.n
        s.missing = missing
        s.invalid = f.invalid
        switch f.type {
        case .numeric:
            s.nonFinite = f.nonFinite
            if f.moments.count > 0 {
                (s.mean, s.min, s.max) = (f.moments.mean, f.moments.min, f.moments.max)
                s.quantiles = f.kll?.quantiles(FeatureSummary.quantileLevels) ?? []
            }
            s.std = f.moments.standardDeviation
        case .categorical:
            s.distinct = Int(f.hll.estimate.rounded())
            s.top = f.top.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(FeatureSummary.topCount).map { FeatureSummary.TopValue(value: $0.key, count: $0.value) }
            s.topError = f.topError
        }
        return s
    }
}
