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
        let c = series.columns
        let psi = PointValues.codes["psi"]!
        let alerts = series.alerts
        var worst = 0.0
        var drifted = 0
        for i in 0..<c.count {
            let v = c.value(psi, at: i)
            if let v, v > worst { worst = v }
            let end = c.ends[i]
            if (v ?? 0) >= DefaultThresholds.psiCritical
                || alerts.contains(where: { $0.start <= end && ($0.end.map { end < $0 } ?? true) })
            {
                drifted += 1
            }
        }
        worstPSI = worst
        driftedWindows = drifted
        let open = series.alerts.filter { $0.end == nil }
        if open.contains(where: { $0.severity == "critical" }) {
            status = .firingCritical
        } else if !open.isEmpty {
            status = .firing
        } else if let last = series.lastValues, last["count"] == 0, (last["invalid"] ?? 0) > 0 {
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
