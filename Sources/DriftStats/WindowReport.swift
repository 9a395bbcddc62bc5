import DriftCore

/// The finished result of one (model, window): the `kind: window` line and its `kind: feature` lines.
public struct WindowReport: Hashable, Sendable {
    public var model: String
    /// The model's version (`schema.model_version`), where the records have one: each version has its own windows.
    public var modelVersion: String?
    /// What tells this model's windows apart from another version's (``ModelKey``).
    public var modelKey: String { modelVersion.map { ModelKey.join(model, version: $0) } ?? model }
    /// The window size's label (`5m`), so that several sizes can share one metric file.
    public var window: String
    public var start: EventTime
    public var end: EventTime
    public var records: Int
    public var late: Int
    public var rejected: Int
    /// One summary per feature, sorted by name.
    public var features: [FeatureSummary]
    /// Features with values in this window that the model's reference does not have (sorted; nil without a
    /// reference): a field added upstream, which no drift measure covers.
    public var newFeatures: [String]?
    /// With `output.profiles`: every feature's accumulated state, what its profile line is made of.
    public var state: [ClosedWindow.Feature]?
    /// Accuracy or error against `actual`, where the records carry it or labels were joined to them.
    public var performance = PerformanceAccumulator()
    /// Set on a `kind: performance` report (labels joined later, DESIGN §12): how many predictions got a label.
    public var joined: JoinedLabels?
    /// `performance.task`, where the config gives it (else it is inferred from the actuals).
    public var performanceTask: PerformanceTask?
    /// A performance report's own series (`5m performance`), apart from the window lines' for exactly-once
    /// bookkeeping and alert states.
    public var seriesWindow: String { joined == nil ? window : window + WindowReport.performanceSuffix }
    public static let performanceSuffix = " performance"
    /// Performance estimated without labels (CBPE), for a binary classifier whose reference has a calibration.
    public var estimated: EstimatedPerformance?
    /// The reference's lower thresholds for the estimated measures, by measure name.
    public var estimatedThresholds: [String: Double] = [:]

    public init(
        model: String, window: String, start: EventTime, end: EventTime, records: Int, late: Int,
        rejected: Int, features: [FeatureSummary]
    ) {
        self.model = model
        self.window = window
        self.start = start
        self.end = end
        self.records = records
        self.late = late
        self.rejected = rejected
        self.features = features
    }
}

/// How a window's predictions fared in the label join.
public struct JoinedLabels: Hashable, Sendable {
    public var labeled: Int
    public var unmatched: Int

    public init(labeled: Int, unmatched: Int) {
        self.labeled = labeled
        self.unmatched = unmatched
    }
}
