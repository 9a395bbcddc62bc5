/// What a record predicted, as performance measures need it (DESIGN §12): the number (a score or a regression's
/// value), the predicted label's hash, and the predicted class of a binary classifier. Small (what the label join
/// keeps per pending prediction).
public struct PredictedOutcome: Hashable, Sendable, Codable {
    /// `prediction.value`, `prediction.score` or a numeric `prediction`: a score in [0, 1] for a classifier.
    public var value: Double?
    /// XXH64 of the predicted label's text, compared with the actual's.
    public var labelHash: UInt64?
    /// The predicted class: from the label, else a score of at least 0.5.
    public var positive: Bool?

    public init(value: Double? = nil, labelHash: UInt64? = nil, positive: Bool? = nil) {
        self.value = value
        self.labelHash = labelHash
        self.positive = positive
    }

    /// From a record's predicted label (its bytes) and number.
    public init(label: (some Collection<UInt8>)?, value: Double?, classes: PositiveClass) {
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        if let label {
            labelHash = LabelHash.of(label)
            positive = classes.of(label)
        } else if let v = self.value, v >= 0, v <= 1 {
            positive = v >= 0.5
        }
    }

    /// The score of a binary classifier, for ROC AUC.
    public var score: Double? { value }
}

/// What a record's ground truth was: its label's hash, its number, its binary class.
public struct ActualOutcome: Hashable, Sendable, Codable {
    public var value: Double?
    public var labelHash: UInt64?
    public var positive: Bool?

    public init(value: Double? = nil, labelHash: UInt64? = nil, positive: Bool? = nil) {
        self.value = value
        self.labelHash = labelHash
        self.positive = positive
    }

    /// From an actual label's bytes or a numeric actual (nil when the record has neither).
    public init?(label: (some Collection<UInt8>)?, value: Double?, classes: PositiveClass) {
        if let label {
            labelHash = LabelHash.of(label)
            positive = classes.of(label)
        } else if let value, value.isFinite {
            self.value = value
            positive = classes.of(value)
            // A whole number is also a class label (`1` against a predicted "1").
            if value == value.rounded(), abs(value) < 1e15 {
                labelHash = LabelHash.of(Array(String(Int64(value)).utf8))
            }
        } else {
            return nil
        }
    }
}

/// The hash under which predicted and actual labels are compared.
public enum LabelHash {
    public static func of(_ text: some Collection<UInt8>) -> UInt64 {
        if let hash = text.withContiguousStorageIfAvailable({ XXH64.hash(UnsafeRawBufferPointer($0)) }) { return hash }
        return Array(text).withUnsafeBytes { XXH64.hash($0) }
    }
}
