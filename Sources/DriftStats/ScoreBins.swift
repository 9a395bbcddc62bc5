/// A window's prediction scores for estimating its performance without labels (DESIGN §12): per score bin
/// (256 over [0, 1], scores outside clamped) and predicted class, the count and the sum of the scores. Bounded
/// (8 KiB of counts and sums per window, only for models whose reference can estimate), mergeable, and exact
/// enough: a bin's scores are read through the calibration at their mean, and its records share one threshold
/// of the ROC curve.
public struct ScoreBins: Hashable, Sendable, Codable {
    public static let count = 256

    /// Index `2 * bin + (predicted positive ? 1 : 0)`.
    public private(set) var counts: [Int]
    public private(set) var sums: [Double]

    public init() {
        counts = Array(repeating: 0, count: 2 * Self.count)
        sums = Array(repeating: 0, count: 2 * Self.count)
    }

    /// The bin of a score: `[i/256, (i+1)/256)`, the last one closed.
    @inlinable public static func bin(of score: Double) -> Int {
        min(Int((min(max(score, 0), 1) * Double(count)).rounded(.down)), count - 1)
    }

    public mutating func add(score: Double, predictedPositive: Bool) {
        guard score.isFinite else { return }
        let i = 2 * Self.bin(of: score) + (predictedPositive ? 1 : 0)
        counts[i] += 1
        sums[i] += score
    }

    public mutating func merge(_ other: ScoreBins) {
        for i in counts.indices {
            counts[i] += other.counts[i]
            sums[i] += other.sums[i]
        }
    }

    /// Records with a score.
    public var total: Int { counts.reduce(0, +) }

    /// The non-empty cells, in ascending score: bin, predicted class, count and mean score.
    public var cells: [(bin: Int, positive: Bool, count: Int, meanScore: Double)] {
        counts.indices.compactMap { i in
            counts[i] > 0 ? (i / 2, i % 2 == 1, counts[i], sums[i] / Double(counts[i])) : nil
        }
    }
}
