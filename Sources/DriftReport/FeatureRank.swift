import DriftAlerts

/// How a feature sorts in the report: firing critical first, then firing of any other severity, then a feature
/// whose last window had no valid value (every value of the wrong type: a schema change upstream), then alerts that
/// fired and resolved; within each, by how long it drifted (windows in an alert period or with PSI ≥ 0.2), then
/// how far its worst PSI went; name breaks ties so the order is stable.
public struct FeatureRank: Comparable, Sendable {
    public enum Status: Int, Sendable {
        case quiet = 0
        case resolved, noValidValues, firing, firingCritical

        public var label: String {
            switch self {
            case .quiet: "ok"
            case .resolved: "resolved"
            case .noValidValues: "invalid"
            case .firing: "firing"
            case .firingCritical: "critical"
            }
        }
    }

    public var status: Status
    /// Windows inside an alert period of the feature, or with a PSI at the critical threshold or above.
    public var driftedWindows: Int
    public var worstPSI: Double
    public var name: String

    public init(_ series: ReportData.Series) {
        name = series.feature
        worstPSI = series.points.compactMap { $0.values["psi"] }.max() ?? 0
        let alerts = series.alerts
        driftedWindows =
            series.points.filter { p in
                (p.values["psi"] ?? 0) >= DefaultThresholds.psiCritical
                    || alerts.contains { $0.start <= p.end && ($0.end.map { p.end < $0 } ?? true) }
            }.count
        let open = series.alerts.filter { $0.end == nil }
        if open.contains(where: { $0.severity == "critical" }) {
            status = .firingCritical
        } else if !open.isEmpty {
            status = .firing
        } else if let last = series.points.max(by: { $0.end < $1.end }), last.values["count"] == 0,
            (last.values["invalid"] ?? 0) > 0
        {
            status = .noValidValues
        } else if !series.alerts.isEmpty {
            status = .resolved
        } else {
            status = .quiet
        }
    }

    /// "Less" sorts first: the most severe.
    public static func < (a: FeatureRank, b: FeatureRank) -> Bool {
        if a.status != b.status { return a.status.rawValue > b.status.rawValue }
        if a.driftedWindows != b.driftedWindows { return a.driftedWindows > b.driftedWindows }
        if a.worstPSI != b.worstPSI { return a.worstPSI > b.worstPSI }
        return a.name < b.name
    }
}
