import DriftAlerts
import DriftCore

/// The JSON documents alerts travel in. Pure encoders.
public enum AlertPayload {
    /// Alertmanager's API (`POST /api/v2/alerts`): a list of postable alerts, as Prometheus sends them. A firing
    /// alert's `endsAt` lies `validFor` ahead, so that Alertmanager resolves it by itself if driftd stops sending.
    public static func alertmanager(_ alerts: [Alert], now: EventTime, validFor: Span) -> [UInt8] {
        var w = JSONWriter()
        w.beginRootArray()
        for a in alerts {
            w.beginObject()
            w.field("labels", a.labels.filter { !$0.value.isEmpty })
            w.field("annotations", a.annotations)
            w.field("startsAt", a.startsAt.rfc3339(fractionDigits: 3))
            w.field("endsAt", (a.endsAt ?? now + validFor).rfc3339(fractionDigits: 3))
            w.field("generatorURL", a.generatorURL)
            w.endObject()
        }
        w.endArray()
        return w.bytes
    }

    /// Alertmanager's webhook payload, version 4: bridges built for Alertmanager's webhook receiver take it as is.
    public static func webhook(_ alerts: [Alert], receiver: String) -> [UInt8] {
        let status = alerts.contains { $0.status == .firing } ? "firing" : "resolved"
        let common = intersection(alerts.map(\.labels))
        var w = JSONWriter()
        w.beginObject()
        w.field("version", "4")
        w.field("groupKey", "{}:{alertname=\"\(common["alertname"] ?? "")\"}")
        w.field("truncatedAlerts", 0)
        w.field("status", status)
        w.field("receiver", receiver)
        w.field("groupLabels", common.filter { $0.key == "alertname" })
        w.field("commonLabels", common)
        w.field("commonAnnotations", intersection(alerts.map(\.annotations)))
        w.field("externalURL", "")
        w.beginArray("alerts")
        for a in alerts {
            w.beginObject()
            w.field("status", a.status.rawValue)
            w.field("labels", a.labels)
            w.field("annotations", a.annotations)
            w.field("startsAt", a.startsAt.rfc3339(fractionDigits: 3))
            w.field("endsAt", a.endsAt.map { $0.rfc3339(fractionDigits: 3) } ?? "0001-01-01T00:00:00Z")
            w.field("generatorURL", a.generatorURL)
            w.field("fingerprint", a.fingerprint)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    private static func intersection(_ maps: [[String: String]]) -> [String: String] {
        guard var common = maps.first else { return [:] }
        for m in maps.dropFirst() { common = common.filter { m[$0.key] == $0.value } }
        return common
    }
}
