import DriftCore
import OrderedCollections

/// One model at one window size as its lines are read. Its features are kept by name in the order first seen,
/// and the feature after the last one read is tried first: driftd writes a window's features in the same order
/// every window, so most lines find theirs without hashing.
struct GroupBuilder: Sendable {
    var model: String
    var window: String
    var points: [ReportData.Point] = []
    var performance: [ReportData.Point] = []
    var alerts: [AlertEvent] = []
    var series: OrderedDictionary<String, SeriesBuilder> = [:]
    var newFeatures: Set<String> = []
    /// The series after the one last found.
    var cursor = 0

    init(model: String, window: String) {
        self.model = model
        self.window = window
    }

    /// The index of the series named by `bytes` (unescaped), made when new.
    mutating func seriesIndex(_ bytes: UnsafeRawBufferPointer) -> Int {
        if cursor < series.count, series.values[cursor].name.withUnsafeBytes({ $0.elementsEqual(bytes) }) {
            cursor += 1
            return cursor - 1
        }
        return seriesIndex(String(decoding: bytes, as: UTF8.self))
    }

    mutating func seriesIndex(_ feature: String) -> Int {
        let i =
            series.index(forKey: feature)
            ?? series.updateValue(SeriesBuilder(feature: feature), forKey: feature, insertingAt: series.count).index
        cursor = i + 1
        return i
    }

    mutating func append(_ later: GroupBuilder) {
        points += later.points
        performance += later.performance
        alerts += later.alerts
        newFeatures.formUnion(later.newFeatures)
        for (feature, s) in later.series {
            if let i = series.index(forKey: feature) {
                series.values[i].append(s)
            } else {
                series[feature] = s
            }
        }
    }

    func group() -> ReportData.Group {
        var g = ReportData.Group(model: model, window: window)
        g.points = ReportData.deduplicated(points)
        g.performance = ReportData.deduplicated(performance)
        g.alerts = AlertEvent.periods(alerts)
        g.newFeatures = newFeatures
        g.features = Dictionary(
            uniqueKeysWithValues: series.values.map { ($0.feature, $0.series(model: model, window: window)) })
        return g
    }
}
