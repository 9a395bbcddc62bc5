import DriftCore

/// One prediction-log record after mapping: when, which model, and the values of its features.
///
/// A mapper fills one `Record` per line and reuses its storage, so the hot path allocates no arrays.
public struct Record: Sendable {
    public var time: EventTime
    public var model: String
    /// Feature name and value, in the order they appear in the line.
    public var values: [(name: String, value: FeatureValue)]
    /// The predicted label (`prediction.label`, or a string `prediction`) and value (`prediction.value`,
    /// `prediction.score`, or a numeric `prediction`), for accuracy and error against `actual`.
    public var predictedLabel: String?
    public var predictedValue: Double?
    /// The ground truth, when the record carries it: a label (classification) or a number (regression).
    public var actualLabel: String?
    public var actualValue: Double?

    public init(time: EventTime = EventTime(nanoseconds: 0), model: String = "", values: [(String, FeatureValue)] = []) {
        self.time = time
        self.model = model
        self.values = values.map { (name: $0.0, value: $0.1) }
    }
}
