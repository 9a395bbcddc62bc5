import DriftCore

/// One prediction-log record after mapping: when, which model, and the values of its features.
///
/// Models and features are named by ids from the mapper's ``NameInterner``s, so that the pipeline indexes arrays
/// rather than hashing strings. A mapper fills one `Record` per line and reuses its storage.
public struct Record: Sendable {
    public var time: EventTime
    /// The model's id in the mapper's `models` interner.
    public var model: Int32
    /// Feature id (in the mapper's `features` interner) and value, in the order they appear in the line.
    public var values: [(feature: Int32, value: FeatureValue)]
    /// The predicted label (`prediction.label`, or a string `prediction`) and value (`prediction.value`,
    /// `prediction.score`, or a numeric `prediction`), for accuracy and error against `actual`.
    public var predictedLabel: String?
    public var predictedValue: Double?
    /// The ground truth, when the record carries it: a label (classification) or a number (regression).
    public var actualLabel: String?
    public var actualValue: Double?

    public init() {
        time = EventTime(nanoseconds: 0)
        model = 0
        values = []
        values.reserveCapacity(32)
    }
}
