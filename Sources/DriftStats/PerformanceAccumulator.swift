/// Model performance in one window, where the log carries the ground truth (DESIGN §4): accuracy for
/// classification (a categorical `actual` against the predicted label), MAE and RMSE for regression (a numeric
/// `actual` against the predicted value).
public struct PerformanceAccumulator: Hashable, Sendable, Codable {
    /// Records with both a prediction and an actual of the same kind.
    public private(set) var classified = 0
    public private(set) var correct = 0
    public private(set) var regressed = 0
    public private(set) var absoluteError = 0.0
    public private(set) var squaredError = 0.0

    public init() {}

    public mutating func add(predictedLabel: String, actual: String) {
        addClassified(correct: predictedLabel == actual)
    }

    /// One classified record, whose predicted label was (or was not) its actual one.
    public mutating func addClassified(correct isCorrect: Bool) {
        classified += 1
        if isCorrect { correct += 1 }
    }

    public mutating func add(predictedValue: Double, actual: Double) {
        guard predictedValue.isFinite, actual.isFinite else { return }
        regressed += 1
        let e = predictedValue - actual
        absoluteError += abs(e)
        squaredError += e * e
    }

    public mutating func merge(_ other: PerformanceAccumulator) {
        classified += other.classified
        correct += other.correct
        regressed += other.regressed
        absoluteError += other.absoluteError
        squaredError += other.squaredError
    }

    public var accuracy: Double? { classified > 0 ? Double(correct) / Double(classified) : nil }
    public var meanAbsoluteError: Double? { regressed > 0 ? absoluteError / Double(regressed) : nil }
    public var rootMeanSquaredError: Double? { regressed > 0 ? (squaredError / Double(regressed)).squareRoot() : nil }
}
