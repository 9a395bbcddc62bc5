/// Model performance in one window against the ground truth (DESIGN §4, §12), whether the actual is in the record
/// or joined later by request id: accuracy for any classifier (the predicted label against the actual), the
/// confusion matrix and ROC AUC of a binary classifier, MAE and RMSE of a regression. Which of them a line
/// shows is the task's (``PerformanceTask``), given or inferred from what the window saw.
public struct PerformanceAccumulator: Hashable, Sendable, Codable {
    /// Records with a predicted label and an actual label.
    public internal(set) var classified = 0
    public internal(set) var correct = 0
    /// Records with a predicted number and a numeric actual.
    public internal(set) var regressed = 0
    public internal(set) var absoluteError = 0.0
    public internal(set) var squaredError = 0.0
    /// Binary records (both the prediction and the actual have a class): the confusion matrix.
    public internal(set) var truePositives = 0
    public internal(set) var falsePositives = 0
    public internal(set) var trueNegatives = 0
    public internal(set) var falseNegatives = 0
    /// Records whose actual is not a binary class: the window is not a binary classifier's.
    public internal(set) var notBinary = 0
    /// Scores of binary records with their actual class, for ROC AUC.
    public internal(set) var roc = ROCCurve()

    public init() {}

    /// One record's prediction against its actual: each measure takes what it can use.
    public mutating func add(_ predicted: PredictedOutcome, _ actual: ActualOutcome) {
        if let p = predicted.labelHash, let a = actual.labelHash { addClassified(correct: p == a) }
        if let p = predicted.value, let a = actual.value { add(predictedValue: p, actual: a) }
        guard let truth = actual.positive else {
            notBinary += 1
            return
        }
        guard let positive = predicted.positive else { return }
        switch (positive, truth) {
        case (true, true): truePositives += 1
        case (true, false): falsePositives += 1
        case (false, false): trueNegatives += 1
        case (false, true): falseNegatives += 1
        }
        if let score = predicted.score { roc.add(score: score, positive: truth) }
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
        truePositives += other.truePositives
        falsePositives += other.falsePositives
        trueNegatives += other.trueNegatives
        falseNegatives += other.falseNegatives
        notBinary += other.notBinary
        roc.merge(other.roc)
    }

    /// Records in the confusion matrix.
    public var binary: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    /// Records with an actual of any kind.
    public var labeled: Int { max(classified, regressed, binary + notBinary) }

    /// The task the window's records show (DESIGN §12): binary when every actual was a class of two and some
    /// predictions had one, regression when actuals were numbers, else a classifier's accuracy; nil: no actual.
    public func task(given: PerformanceTask?) -> PerformanceTask? {
        if let given { return given }
        if binary > 0 && notBinary == 0 { return .binary }
        if regressed > 0 { return .regression }
        return classified > 0 ? .classification : nil
    }

    public var accuracy: Double? { classified > 0 ? Double(correct) / Double(classified) : nil }
    public var binaryAccuracy: Double? {
        binary > 0 ? Double(truePositives + trueNegatives) / Double(binary) : nil
    }
    public var precision: Double? {
        let d = truePositives + falsePositives
        return d > 0 ? Double(truePositives) / Double(d) : nil
    }
    public var recall: Double? {
        let d = truePositives + falseNegatives
        return d > 0 ? Double(truePositives) / Double(d) : nil
    }
    public var f1: Double? {
        let d = 2 * truePositives + falsePositives + falseNegatives
        return d > 0 ? Double(2 * truePositives) / Double(d) : nil
    }
    public var rocAUC: Double? { roc.auc }
    public var meanAbsoluteError: Double? { regressed > 0 ? absoluteError / Double(regressed) : nil }
    public var rootMeanSquaredError: Double? { regressed > 0 ? (squaredError / Double(regressed)).squareRoot() : nil }
}

/// What a model's performance is measured as (`performance.task`, DESIGN §12).
public enum PerformanceTask: String, Hashable, Sendable, Codable, CaseIterable {
    case binary, regression
    /// Labels of more than two classes, or that are not classes of two: accuracy only (inferred, never given).
    case classification
}
