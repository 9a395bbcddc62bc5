/// An alert line as read: kept in order and turned into periods at the end, so that a part of the input read
/// apart (a resolved line whose firing line another reader saw) joins the rest.
struct AlertEvent: Sendable {
    var name: String
    var severity: String
    var firing: Bool
    var end: Double

    static func periods(_ events: [AlertEvent]) -> [ReportData.AlertPeriod] {
        var periods: [ReportData.AlertPeriod] = []
        for e in events {
            ReportData.record(&periods, name: e.name, severity: e.severity, firing: e.firing, at: e.end)
        }
        return periods
    }
}
