import DriftCore

/// One alert as notifications carry it: Prometheus/Alertmanager-shaped labels and annotations.
public struct Alert: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        case firing, resolved
    }

    public var status: Status
    /// `alertname`, `model`, `feature`, `window`, `severity`, and the rule's own labels.
    public var labels: [String: String]
    /// The rule's annotations (templated), plus `value` and `threshold`.
    public var annotations: [String: String]
    /// Wall-clock time the alert started firing, and — once resolved — ended.
    public var startsAt: EventTime
    public var endsAt: EventTime?
    /// The window (event time) whose evaluation produced this notification.
    public var windowStart: EventTime
    public var windowEnd: EventTime
    public var value: Double?
    public var threshold: Double?
    /// Where to see what the alert is about (`generator_url`, rendered); empty without one.
    public var generatorURL = ""

    public init(
        status: Status, labels: [String: String], annotations: [String: String], startsAt: EventTime,
        endsAt: EventTime?, windowStart: EventTime, windowEnd: EventTime, value: Double?, threshold: Double?
    ) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.value = value
        self.threshold = threshold
    }

    /// A stable identity of the alert's labels (as Alertmanager's fingerprint: the same labels, the same alert).
    public var fingerprint: String {
        let text = labels.keys.sorted().map { "\($0)\u{1F}\(labels[$0]!)" }.joined(separator: "\u{1E}")
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// What the engine decided for one alert after a window.
public struct AlertEvent: Hashable, Sendable {
    public enum Transition: String, Hashable, Sendable {
        /// Pending long enough: notify.
        case fired
        /// Still firing: not a new notification (Alertmanager pushes are repeated, as Prometheus repeats them).
        case stillFiring = "still_firing"
        /// Stopped firing: notify the resolution.
        case resolved
    }

    public var transition: Transition
    public var alert: Alert

    public init(transition: Transition, alert: Alert) {
        self.transition = transition
        self.alert = alert
    }
}
