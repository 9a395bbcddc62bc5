import DriftCore
import DriftStats

/// Evaluates the rules on every closed window and keeps each alert's state (DESIGN §7). Pure: the window and
/// the wall-clock time come in, alert events come out; the caller writes them and hands them to the hooks.
public struct AlertEngine: Sendable {
    public struct Key: Hashable, Sendable, Codable, Comparable {
        public var rule: String
        public var model: String
        public var feature: String
        public var window: String

        /// The series of windows the alert is about.
        public var series: SeriesID { SeriesID(model: model, window: window) }

        public static func < (a: Key, b: Key) -> Bool {
            (a.rule, a.model, a.feature, a.window) < (b.rule, b.model, b.feature, b.window)
        }
    }

    public let rules: [AlertRule]
    public private(set) var states: [Key: AlertState] = [:]

    /// Added to every alert's labels; a rule's own labels win (as Prometheus' external labels).
    public let externalLabels: [String: String]
    /// The template of each alert's `generatorURL` (`{{ $model }}`, `{{ $feature }}`, …).
    public let generatorURL: String?

    public init(rules: [AlertRule], externalLabels: [String: String] = [:], generatorURL: String? = nil) {
        self.rules = rules
        self.externalLabels = externalLabels
        self.generatorURL = generatorURL
    }

    /// The alert states, for a checkpoint.
    public var savedStates: [Key: AlertState] { states }

    public mutating func restore(_ saved: [Key: AlertState]) {
        states = saved.filter { key, _ in rules.contains { $0.name == key.rule } }
    }

    /// Evaluates every rule on `report`. `minCount`: windows with fewer records never alert (their verdict is
    /// "not met"). `thresholds`: the reference's adaptive thresholds of a feature. `now`: wall-clock time.
    /// - Parameter slide: how far the report's window size moves (nanoseconds), for rules whose `for` is a duration;
    ///   nil: the window's own length (tumbling).
    public mutating func evaluate(
        _ report: WindowReport, minCount: Int, thresholds: (String) -> [String: Double],
        now: EventTime, slide: Int64? = nil
    ) -> [AlertEvent] {
        let slide = slide ?? (report.end.nanoseconds - report.start.nanoseconds)
        var events: [AlertEvent] = []
        let eligible = report.records >= minCount
        for rule in rules where rule.applies(toModel: report.model) {
            if rule.isWindowLevel {
                let lookup = { (name: String) in
                    AlertVariables.value(name, report: report, feature: nil, thresholds: [:])
                }
                step(
                    rule, report: report, feature: "", met: eligible && rule.expression.holds(lookup), lookup: lookup,
                    now: now, slide: slide, into: &events)
                continue
            }
            for feature in report.features where rule.applies(toFeature: feature.feature) {
                let t = thresholds(feature.feature)
                let lookup = { (name: String) in
                    AlertVariables.value(name, report: report, feature: feature, thresholds: t)
                }
                step(
                    rule, report: report, feature: feature.feature, met: eligible && rule.expression.holds(lookup),
                    lookup: lookup, now: now, slide: slide, into: &events)
            }
        }
        return events
    }

    private mutating func step(
        _ rule: AlertRule, report: WindowReport, feature: String, met: Bool,
        lookup: (String) -> Double?, now: EventTime, slide: Int64, into events: inout [AlertEvent]
    ) {
        let windows = rule.windows(slide: slide)
        let key = Key(rule: rule.name, model: report.modelKey, feature: feature, window: report.seriesWindow)
        var state = states[key] ?? AlertState()
        let since: Int64? = if case .firing(let s, _) = state.phase { s } else { nil }
        let transition = state.step(
            met: met, forWindows: windows.for, keepFiringFor: windows.keepFiringFor,
            now: now.nanoseconds)
        if case .inactive = state.phase { states[key] = nil } else { states[key] = state }
        guard let transition else { return }
        let startedAt: Int64 = if case .firing(let s, _) = state.phase { s } else { since ?? now.nanoseconds }
        let (value, threshold) = rule.expression.valueAndThreshold(lookup)
        var labels = rule.labels.merging(externalLabels) { own, _ in own }
        labels["alertname"] = rule.name
        labels["model"] = report.model
        if let version = report.modelVersion { labels["model_version"] = version }
        labels["feature"] = feature
        labels["window"] = report.window
        labels["severity"] = rule.severity
        var annotations = rule.annotations.mapValues {
            AnnotationTemplate.render($0, labels: labels, value: value, threshold: threshold)
        }
        annotations["value"] = AnnotationTemplate.format(value)
        annotations["threshold"] = AnnotationTemplate.format(threshold)
        var alert = Alert(
            status: transition == .resolved ? .resolved : .firing, labels: labels, annotations: annotations,
            startsAt: EventTime(nanoseconds: startedAt), endsAt: transition == .resolved ? now : nil,
            windowStart: report.start, windowEnd: report.end, value: value, threshold: threshold)
        if let generatorURL {
            // Label values go into a URL: percent-encoded (a model named `fraud v3` is `fraud%20v3`).
            alert.generatorURL = AnnotationTemplate.render(
                generatorURL, labels: labels.mapValues(AnnotationTemplate.percentEncoded), value: value,
                threshold: threshold)
        }
        events.append(AlertEvent(transition: transition, alert: alert))
    }
}
