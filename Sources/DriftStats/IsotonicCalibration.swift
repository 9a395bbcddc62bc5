/// A calibration map from a classifier's score to P(y = 1), fitted by isotonic regression on labeled reference
/// records as scikit-learn's `IsotonicRegression(out_of_bounds="clip")` fits it (the calibrator NannyML's CBPE
/// uses): pool-adjacent-violators over the scores' distinct values, the points where the fitted value changes
/// kept, and a score read by linear interpolation between them, clipped at both ends. Pure.
public struct IsotonicCalibration: Hashable, Sendable, Codable {
    /// Increasing scores, and the calibrated probability at each (non-decreasing).
    public private(set) var scores: [Double]
    public private(set) var probabilities: [Double]

    public init(scores: [Double], probabilities: [Double]) {
        self.scores = scores
        self.probabilities = probabilities
    }

    /// Fits the map on `(score, positive)` pairs; nil without a finite score or with one class only (nothing to
    /// calibrate against).
    public static func fit(_ pairs: [(score: Double, positive: Bool)]) -> IsotonicCalibration? {
        let finite = pairs.filter { $0.score.isFinite }.sorted { $0.score < $1.score }
        guard let first = finite.first, finite.contains(where: { $0.positive != first.positive }) else { return nil }
        // Distinct scores, each with the mean of its labels and its weight (scikit-learn's _make_unique).
        var xs: [Double] = []
        var ys: [Double] = []
        var ws: [Double] = []
        for p in finite {
            if let last = xs.last, last == p.score {
                ys[ys.count - 1] += p.positive ? 1 : 0
                ws[ws.count - 1] += 1
            } else {
                xs.append(p.score)
                ys.append(p.positive ? 1 : 0)
                ws.append(1)
            }
        }
        for i in ys.indices { ys[i] /= ws[i] }
        // Pool adjacent violators: blocks of (mean, weight, length), merged while a block is below its left one.
        var means: [Double] = []
        var weights: [Double] = []
        var lengths: [Int] = []
        for i in ys.indices {
            means.append(ys[i])
            weights.append(ws[i])
            lengths.append(1)
            while means.count > 1, means[means.count - 2] >= means[means.count - 1] {
                let (m, w, l) = (means.removeLast(), weights.removeLast(), lengths.removeLast())
                let j = means.count - 1
                means[j] = (means[j] * weights[j] + m * w) / (weights[j] + w)
                weights[j] += w
                lengths[j] += l
            }
        }
        var fitted: [Double] = []
        for (m, l) in zip(means, lengths) { fitted += repeatElement(m, count: l) }
        // Keep the first and last points and those where the value changes on either side (trim_duplicates).
        var keptScores: [Double] = []
        var keptProbabilities: [Double] = []
        for i in fitted.indices {
            let inner = i > 0 && i < fitted.count - 1
            if !inner || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1] {
                keptScores.append(xs[i])
                keptProbabilities.append(fitted[i])
            }
        }
        return IsotonicCalibration(scores: keptScores, probabilities: keptProbabilities)
    }

    /// P(y = 1) for `score`: linear between the fitted points, the end values beyond them (numpy's interp).
    public func callAsFunction(_ score: Double) -> Double {
        guard let first = scores.first, let last = scores.last else { return score }
        if score <= first { return probabilities[0] }
        if score >= last { return probabilities[probabilities.count - 1] }
        // The first point above the score.
        var low = 0
        var high = scores.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if scores[mid] <= score { low = mid } else { high = mid }
        }
        let (x0, x1, y0, y1) = (scores[low], scores[high], probabilities[low], probabilities[high])
        return x1 == x0 ? y1 : y0 + (score - x0) * (y1 - y0) / (x1 - x0)
    }
}
