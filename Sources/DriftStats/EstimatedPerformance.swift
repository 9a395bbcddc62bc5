/// A binary classifier's performance in a window estimated without labels, as NannyML's CBPE does (DESIGN §12):
/// each record's calibrated probability p of the positive class, with its predicted class, gives the expected
/// confusion matrix — E[TP] = Σ p over predicted positives, E[FP] = Σ (1 − p) over them, E[FN] = Σ p over
/// predicted negatives, E[TN] = Σ (1 − p) over them — and so accuracy, precision, recall and F1; the expected ROC
/// curve, in descending score, rises by p / Σ p and runs by (1 − p) / Σ (1 − p) per record.
/// Pure: from a window's ``ScoreBins`` and the reference's calibration.
public struct EstimatedPerformance: Hashable, Sendable, Codable {
    public var records: Int
    public var accuracy: Double?
    public var precision: Double?
    public var recall: Double?
    public var f1: Double?
    public var rocAUC: Double?

    public init(records: Int, accuracy: Double?, precision: Double?, recall: Double?, f1: Double?, rocAUC: Double?) {
        self.records = records
        self.accuracy = accuracy
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.rocAUC = rocAUC
    }

    /// The measures by name (`accuracy`, `precision`, `recall`, `f1`, `roc_auc`), those that have a value.
    public var measures: [(name: String, value: Double)] {
        [("accuracy", accuracy), ("precision", precision), ("recall", recall), ("f1", f1), ("roc_auc", rocAUC)]
            .compactMap { name, value in value.map { (name, $0) } }
    }

    /// The estimate for the records in `bins`; nil when none had a score.
    public static func estimate(_ bins: ScoreBins, calibration: IsotonicCalibration) -> EstimatedPerformance? {
        let cells = bins.cells
        guard !cells.isEmpty else { return nil }
        var tp = 0.0
        var fp = 0.0
        var fn = 0.0
        var tn = 0.0
        // Per bin (one threshold): Σ p and Σ (1 − p), both classes together.
        var perBin: [(positive: Double, negative: Double)] = []
        var lastBin = -1
        for cell in cells {
            let p = min(max(calibration(cell.meanScore), 0), 1)
            let n = Double(cell.count)
            if cell.positive {
                tp += p * n
                fp += (1 - p) * n
            } else {
                fn += p * n
                tn += (1 - p) * n
            }
            if cell.bin != lastBin {
                perBin.append((0, 0))
                lastBin = cell.bin
            }
            perBin[perBin.count - 1].positive += p * n
            perBin[perBin.count - 1].negative += (1 - p) * n
        }
        let total = tp + fp + fn + tn
        func ratio(_ a: Double, _ b: Double) -> Double? { b > 0 ? a / b : nil }
        return EstimatedPerformance(
            records: bins.total,
            accuracy: ratio(tp + tn, total), precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn),
            f1: ratio(2 * tp, 2 * tp + fp + fn), rocAUC: rocAUC(perBin))
    }

    /// The area under the expected ROC curve, as NannyML (0.13) computes it: records in descending score, each
    /// moving the curve up by p / Σ p and right by (1 − p) / Σ (1 − p), from (0, 0), trapezoid rule. A bin's
    /// records move it by their sums in one straight step (their order inside the bin is not kept).
    static func rocAUC(_ perBin: [(positive: Double, negative: Double)]) -> Double? {
        let positives = perBin.reduce(0) { $0 + $1.positive }
        let negatives = perBin.reduce(0) { $0 + $1.negative }
        guard positives > 0, negatives > 0 else { return nil }
        var area = 0.0
        var (fpr, tpr) = (0.0, 0.0)
        for bin in perBin.reversed() {
            let next = (fpr + bin.negative / negatives, tpr + bin.positive / positives)
            area += (next.0 - fpr) * (tpr + next.1) / 2
            (fpr, tpr) = next
        }
        return area
    }
}
