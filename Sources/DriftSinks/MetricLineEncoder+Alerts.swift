import DriftAlerts
import DriftCore
import DriftStats

extension MetricLineEncoder {
    /// A `kind: alert` line: an alert that fired or resolved, after its window's feature lines and before its
    /// window line (DESIGN §6).
    public static func alertLine(_ e: AlertEvent) -> [UInt8] {
        var w = JSONWriter()
        alertLine(e, into: &w)
        return w.bytes
    }

    /// Appends the alert line of `e` to `w`.
    static func alertLine(_ e: AlertEvent, into w: inout JSONWriter) {
        let a = e.alert
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
    }

    /// All lines of one window: its feature lines, the alerts that fired or resolved with it, its window line.
    public static func lines(for report: WindowReport, alerts: [AlertEvent]) -> [[UInt8]] {
        group(for: report, alerts: alerts).split(separator: 0x0A).map { Array($0) + [0x0A] }
    }

    /// ``lines(for:alerts:)`` one after the other in one buffer, as the metric file takes them: one allocation a
    /// window, not one a line. A line's newline is its only one (JSON strings escape theirs).
    public static func group(for report: WindowReport, alerts: [AlertEvent]) -> [UInt8] {
        let header = Header(report)
        var w = JSONWriter(capacity: 384 * (report.features.count + 1))
        for feature in report.features { featureLine(feature, header: header, into: &w) }
        for alert in alerts where alert.transition != .stillFiring { alertLine(alert, into: &w) }
        windowLine(report, header: header, into: &w)
        return w.bytes
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
