#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A compiled alerting rule (DESIGN §7, shaped like a Prometheus alerting rule).
public struct AlertRule: Hashable, Sendable {
    public var name: String
    public var expression: RuleExpression
    public var features: [String]
    public var models: [String]
    /// Consecutive windows the condition must hold before the alert fires.
    public var forWindows: Int
    /// Windows the alert stays firing after the condition stops holding.
    public var keepFiringFor: Int
    public var severity: String
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(name: String, expression: RuleExpression, features: [String] = ["*"], models: [String] = ["*"],
                forWindows: Int = 1, keepFiringFor: Int = 0, severity: String = "warning",
                labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.name = name
        self.expression = expression
        self.features = features
        self.models = models
        self.forWindows = max(1, forWindows)
        self.keepFiringFor = max(0, keepFiringFor)
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
    }

    /// A rule whose expression reads only window-level measures is evaluated once per model and window.
    public var isWindowLevel: Bool { expression.variables.isSubset(of: AlertVariables.windowNames) }

    public func applies(toModel model: String) -> Bool { models.contains { Self.glob($0, model) } }
    public func applies(toFeature feature: String) -> Bool { features.contains { Self.glob($0, feature) } }

    static func glob(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
