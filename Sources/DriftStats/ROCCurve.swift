/// A binary classifier's scores with their actual classes, for the area under the ROC curve (the probability
/// that a positive scores above a negative, ties counting half). Exact while it holds at most ``maxExact``
/// scores; beyond, scores are counted in ``bins`` equal bins over [0, 1] (outside values clamped), where two
/// scores of one bin count as a tie: the error is at most the share of positive–negative pairs that share a bin.
/// Bounded: 64 KiB exact or 16 KiB binned per window.
public struct ROCCurve: Hashable, Sendable, Codable {
    public static let maxExact = 4_096
    public static let bins = 1_024

    /// Exact scores and classes, while there are few.
    public private(set) var scores: [Double] = []
    public private(set) var positives: [Bool] = []
    /// Once there are many: per bin, the count of negatives (index 2b) and positives (2b + 1).
    public private(set) var binned: [Int]?

    public init() {}

    public var count: Int { binned.map { $0.reduce(0, +) } ?? scores.count }

    public mutating func add(score: Double, positive: Bool) {
        guard score.isFinite else { return }
        if binned == nil {
            scores.append(score)
            positives.append(positive)
            if scores.count > Self.maxExact { becomeBinned() }
        } else {
            binned![2 * Self.bin(of: score) + (positive ? 1 : 0)] += 1
        }
    }

    public mutating func merge(_ other: ROCCurve) {
        if binned == nil && other.binned == nil && scores.count + other.scores.count <= Self.maxExact {
            scores += other.scores
            positives += other.positives
            return
        }
        if binned == nil { becomeBinned() }
        if let theirs = other.binned {
            for i in theirs.indices { binned![i] += theirs[i] }
        } else {
            for (s, p) in zip(other.scores, other.positives) { binned![2 * Self.bin(of: s) + (p ? 1 : 0)] += 1 }
        }
    }

    static func bin(of score: Double) -> Int {
        min(Int((min(max(score, 0), 1) * Double(bins)).rounded(.down)), bins - 1)
    }

    private mutating func becomeBinned() {
        var counts = Array(repeating: 0, count: 2 * Self.bins)
        for (s, p) in zip(scores, positives) { counts[2 * Self.bin(of: s) + (p ? 1 : 0)] += 1 }
        binned = counts
        scores = []
        positives = []
    }

    /// The area under the ROC curve; nil without both classes.
    public var auc: Double? {
        // Cells in ascending score, each with its negatives and positives: every positive outranks the negatives of
        // the cells below it and ties half of its own cell's.
        var cells: [(negatives: Double, positives: Double)] = []
        if let binned {
            cells = (0..<Self.bins).map { (Double(binned[2 * $0]), Double(binned[2 * $0 + 1])) }
        } else {
            let order = scores.indices.sorted { scores[$0] < scores[$1] }
            var i = 0
            while i < order.count {
                var cell = (negatives: 0.0, positives: 0.0)
                let s = scores[order[i]]
                while i < order.count && scores[order[i]] == s {
                    if positives[order[i]] { cell.positives += 1 } else { cell.negatives += 1 }
                    i += 1
                }
                cells.append(cell)
            }
        }
        var negativesBelow = 0.0
        var area = 0.0
        for cell in cells {
            area += cell.positives * (negativesBelow + cell.negatives / 2)
            negativesBelow += cell.negatives
        }
        let totalPositives = cells.reduce(0) { $0 + $1.positives }
        guard totalPositives > 0, negativesBelow > 0 else { return nil }
        return area / (totalPositives * negativesBelow)
    }
}
