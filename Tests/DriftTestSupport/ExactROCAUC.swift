/// The area under the ROC curve by its definition, for checking driftd's: the share of (positive, negative) pairs
/// whose positive scores higher, ties counting half. O(n²).
public func exactROCAUC(_ pairs: [(score: Double, positive: Bool)]) -> Double {
    let positives = pairs.filter(\.positive).map(\.score)
    let negatives = pairs.filter { !$0.positive }.map(\.score)
    var wins = 0.0
    for p in positives {
        for n in negatives { wins += p > n ? 1 : p == n ? 0.5 : 0 }
    }
    return wins / Double(positives.count * negatives.count)
}
