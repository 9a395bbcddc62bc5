#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A compiled alerting rule (DESIGN §7, shaped like a Prometheus alerting rule).
/// The config's `rules:` parse straight into this type: the expression is parsed once, where the config is read.
public struct AlertRule: Hashable, Sendable {
    public var name: String
    public var expression: RuleExpression
    /// The expression as written (`psi > 0.2`), for people.
    public var expr: String
    public var features: [String]
    public var models: [String]
    /// Consecutive windows the condition must hold before the alert fires.
    public var forWindows: Int
    /// Windows the alert stays firing after the condition stops holding.
    public var keepFiringFor: Int
    /// `for` and `keep_firing_for` written as durations (`15m`, as Prometheus users write them): counted in whole
    /// slides of each window size, rounded up (``windows(slide:)``); nil when written as counts.
    public var forDuration: Int64?
    public var keepFiringDuration: Int64?
    public var severity: String
    public var labels: [String: String]
    public var annotations: [String: String]

    /// A rule whose expression is written as text (`psi > 0.2`); throws when it does not parse.
    public init(
        name: String, expr: String, features: [String] = ["*"], models: [String] = ["*"], forWindows: Int = 1,
        keepFiringFor: Int = 0, severity: String = "warning", labels: [String: String] = [:],
        annotations: [String: String] = [:]
    ) throws(RuleExpression.ParseError) {
        self.init(
            name: name, expression: try RuleExpression.parse(expr, known: AlertVariables.all), features: features,
            models: models, forWindows: forWindows, keepFiringFor: keepFiringFor, severity: severity, labels: labels,
            annotations: annotations)
        self.expr = expr
    }

    public init(
        name: String, expression: RuleExpression, features: [String] = ["*"], models: [String] = ["*"],
        forWindows: Int = 1, keepFiringFor: Int = 0, severity: String = "warning",
        labels: [String: String] = [:], annotations: [String: String] = [:]
    ) {
        self.name = name
        self.expression = expression
        self.expr = "\(expression)"
        self.features = features
        self.models = models
        self.forWindows = max(1, forWindows)
        self.keepFiringFor = max(0, keepFiringFor)
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
    }

    /// `for` and `keep_firing_for` in windows of a size that moves by `slide` nanoseconds: a duration rounded up to
    /// whole slides (at least one for `for`), a count as written.
    public func windows(slide: Int64?) -> (for: Int, keepFiringFor: Int) {
        func count(_ duration: Int64?, _ windows: Int, minimum: Int) -> Int {
            guard let duration, let slide, slide > 0 else { return windows }
            return max(minimum, Int((duration + slide - 1) / slide))
        }
        return (count(forDuration, forWindows, minimum: 1), count(keepFiringDuration, keepFiringFor, minimum: 0))
    }

    /// A rule whose expression reads only window-level measures is evaluated once per model and window.
    public var isWindowLevel: Bool { expression.variables.isSubset(of: AlertVariables.windowNames) }

    public func applies(toModel model: String) -> Bool { models.contains { Self.glob($0, model) } }
    public func applies(toFeature feature: String) -> Bool { features.contains { Self.glob($0, feature) } }

    static func glob(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
