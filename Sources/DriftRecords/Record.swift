import DriftCore

/// One prediction-log record after mapping: when, which model, and where its values are in its
/// ``RecordBuffer``.
///
/// Models and features are named by ids from the mapper's ``NameInterner``s, so that the pipeline indexes arrays
/// rather than hashing strings.
public struct Record: Sendable {
    public var time: EventTime
    /// The model's id in the mapper's `models` interner.
    public var model: Int32
    /// The record's feature values: indices into the buffer's ``RecordBuffer/values``, in line order.
    public var values: Range<Int>
    /// The predicted label (`prediction.label`, or a string `prediction`) and value (`prediction.value`,
    /// `prediction.score`, or a numeric `prediction`), for accuracy and error against `actual`.
    public var predictedLabel: TextRange?
    public var predictedValue: Double?
    /// The ground truth, when the record carries it: a label (classification) or a number (regression).
    public var actualLabel: TextRange?
    public var actualValue: Double?
    /// `schema.request_id`'s text, where the record has one: what joins a label that arrives later (DESIGN §12).
    public var requestID: TextRange?

    public init(time: EventTime, model: Int32, values: Range<Int>) {
        self.time = time
        self.model = model
        self.values = values
    }
}
