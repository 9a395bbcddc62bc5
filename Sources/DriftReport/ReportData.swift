import DriftCore
import DriftRecords
import Foundation
import OrderedCollections

/// What the report shows, gathered from metric lines in any order. A window written twice (a replay after a
/// crash, DESIGN §8) keeps its last line; lines that are not metric lines are counted and skipped.
///
/// Lines are added to builders (``add(line:)``); ``normalized()`` turns them into the groups the page draws. Two
/// readers can each take a part of the input and the later part be appended to the earlier
/// (``append(_:)``): the result is that of one reader over the whole.
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
        /// Its windows, one row each, sorted by end.
        public var columns = PointColumns()
        public var alerts: [AlertPeriod] = []
        /// The window with the largest PSI (the latest of equals), and the last window: what the report draws
        /// against the reference. Two per feature, whatever the number of windows.
        public var worst: Distribution?
        public var last: Distribution?
        /// The window asked for (``ReportData/chosen``), drawn in the worst one's place.
        public var chosen: Distribution?

        /// Its windows as points (made on demand: the page draws a few hundred features, not all of them).
        public var points: [Point] {
            (0..<columns.count).map { Point(end: columns.ends[$0], values: columns.values(at: $0)) }
        }

        /// The last window's values.
        public var lastValues: PointValues? {
            columns.count == 0 ? nil : columns.values(at: columns.count - 1)
        }
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

    /// By series (a model at a window size), in the order first seen.
    var builders: OrderedDictionary<SeriesID, GroupBuilder> = [:]
    public internal(set) var lines = 0
    public internal(set) var skipped = 0
    /// driftd's own `kind: self` lines (its counters): read, not drawn.
    public internal(set) var selfLines = 0
    /// The parser's tape and the caches of the line before, reused line after line.
    var reader = LineReader()

    /// A time (epoch seconds) whose window each feature's distribution is drawn for, beside the last window's,
    /// instead of the worst window's: the first window to end at or after it (`driftd report --at`).
    public let chosen: Double?

    public init(chosen: Double? = nil) {
        self.chosen = chosen
    }

    /// Adds one metric line (a JSON object).
    public mutating func add(line: Data) {
        line.withUnsafeBytes { add(line: $0) }
    }

    /// Every group with its points in time order, one point per window end (the last one written wins).
    public func normalized() -> [Group] {
        builders.values.map { $0.group() }.sorted { ($0.model, $0.window) < ($1.model, $1.window) }
    }

    /// Appends what `later` read from the lines after these.
    public mutating func append(_ later: ReportData) {
        lines += later.lines
        skipped += later.skipped
        selfLines += later.selfLines
        for (key, b) in later.builders {
            if let i = builders.index(forKey: key) {
                builders.values[i].append(b)
            } else {
                builders[key] = b
            }
        }
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
}
