import DriftRecords
import DriftStats

/// A model's labeled reference records, as `baseline` collects them for the calibration of a binary classifier
/// (DESIGN §12): each record's score with its actual class. A model whose actuals are not all binary (0/1,
/// true/false, or with `performance.positive_label` that label against any other) is a regression or a multi-class
/// model, and gets no calibration. 16 bytes per labeled record.
struct LabeledScores {
    private var pairs: [(score: Double, positive: Bool)] = []
    private var binary = true
    /// The positive class, as the windows' estimates take it.
    let classes: PositiveClass

    init(classes: PositiveClass) {
        self.classes = classes
    }

    mutating func add(_ record: Record, _ buffer: RecordBuffer) {
        guard binary else { return }
        let actual =
            record.actualValue.flatMap { classes.of($0) }
            ?? record.actualLabel.flatMap { range in buffer.withView { classes.of($0.bytes(range)) } }
        guard let actual else {
            binary = false
            pairs = []
            return
        }
        if let score = record.predictedValue { pairs.append((score, actual)) }
    }

    /// The fitted calibration; nil for a model that is not a binary classifier with scores and both classes.
    func calibration() -> IsotonicCalibration? {
        binary ? IsotonicCalibration.fit(pairs) : nil
    }
}
