import DriftCore

/// One prediction-log record after mapping: when, which model, and the values of its features.
///
/// A mapper fills one `Record` per line and reuses its storage, so the hot path allocates no arrays.
public struct Record: Sendable {
    public var time: EventTime
    public var model: String
    /// Feature name and value, in the order they appear in the line.
    public var values: [(name: String, value: FeatureValue)]

    public init(time: EventTime = EventTime(nanoseconds: 0), model: String = "", values: [(String, FeatureValue)] = []) {
        self.time = time
        self.model = model
        self.values = values.map { (name: $0.0, value: $0.1) }
    }
}
