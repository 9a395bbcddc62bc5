import DriftCore

/// A window the aggregator closed: its counts and, per feature, the type it settled and everything it
/// accumulated — before the drift stage summarizes it and compares it with the reference (DESIGN §1: window
/// close ─► drift evaluator).
public struct ClosedWindow: Sendable {
    public struct Feature: Hashable, Sendable {
        public var name: String
        public var type: FeatureType
        public var accumulator: FeatureAccumulator

        public init(name: String, type: FeatureType, accumulator: FeatureAccumulator) {
            self.name = name
            self.type = type
            self.accumulator = accumulator
        }
    }

    public var model: String
    /// The window size's label (`5m`).
    public var window: String
    public var start: EventTime
    public var end: EventTime
    public var records: Int
    public var late: Int
    public var rejected: Int
    /// In the order of their names.
    public var features: [Feature]
    public var performance: PerformanceAccumulator
    /// Scores by bin and predicted class, when the model's reference can estimate performance without labels.
    public var scores: ScoreBins?

    public init(
        model: String, window: String, start: EventTime, end: EventTime, records: Int, late: Int, rejected: Int,
        features: [Feature], performance: PerformanceAccumulator, scores: ScoreBins? = nil
    ) {
        self.scores = scores
        self.model = model
        self.window = window
        self.start = start
        self.end = end
        self.records = records
        self.late = late
        self.rejected = rejected
        self.features = features
        self.performance = performance
    }
}
