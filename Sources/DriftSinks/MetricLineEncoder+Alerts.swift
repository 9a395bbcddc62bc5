import DriftAlerts
import DriftCore
import DriftStats

extension MetricLineEncoder {
    /// A `kind: alert` line: an alert that fired or resolved, after its window's feature lines and before its
    /// window line (DESIGN §6).
    public static func alertLine(_ e: AlertEvent) -> [UInt8] {
        let a = e.alert
        var w = JSONWriter()
        w.beginObject()
        w.field("kind", "alert")
        w.field("model", a.labels["model"] ?? "")
        if let version = a.labels["model_version"] { w.field("model_version", version) }
        w.field("window", a.labels["window"] ?? "")
        w.field("window_start", a.windowStart.rfc3339)
        w.field("window_end", a.windowEnd.rfc3339)
        w.field("feature", a.labels["feature"] ?? "")
        w.field("alertname", a.labels["alertname"] ?? "")
        w.field("state", e.transition == .resolved ? "resolved" : "firing")
        w.field("severity", a.labels["severity"] ?? "")
        w.field("value", a.value)
        w.field("threshold", a.threshold)
        w.field("starts_at", a.startsAt.rfc3339)
        if let end = a.endsAt { w.field("ends_at", end.rfc3339) }
        w.field("labels", a.labels)
        w.field("annotations", a.annotations)
        w.endObject()
        w.newline()
        return w.bytes
    }

    /// All lines of one window: its feature lines, the alerts that fired or resolved with it, its window line.
    /// The window's times are spelled once for all its lines: with thousands of models a window holds a few records,
    /// and formatting two timestamps per line took a sixth of the time spent writing.
    public static func lines(for report: WindowReport, alerts: [AlertEvent]) -> [[UInt8]] {
        let times = Times(report)
        return report.features.map { featureLine($0, of: report, times: times) }
            + alerts.filter { $0.transition != .stillFiring }.map(alertLine) + [windowLine(report, times: times)]
    }
}

extension MetricLineEncoder {
    /// A `kind: self` line: driftd's own counters at a moment (DESIGN §7 of the operations issue).
    public static func selfLine(counters: [String: Int], at time: EventTime, uptimeSeconds: Double) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("kind", "self")
        w.field("time", time.rfc3339(fractionDigits: 3))
        w.field("uptime_seconds", uptimeSeconds.rounded())
        w.beginObject("counters")
        for name in counters.keys.sorted() { w.field(name, counters[name]!) }
        w.endObject()
        w.endObject()
        w.newline()
        return w.bytes
    }
}
