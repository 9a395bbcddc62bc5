import DriftStats

extension ReferenceProfile {
    /// What makes this profile unusable, or nil: a profile edited by hand or damaged on disk must give a clear
    /// error at load, never a trap in the pipeline (`min > max` made a range that traps; a Bloom filter whose
    /// words are fewer than its bits read past them; a huge hash count hung every lookup).
    public func problem() -> String? {
        for (model, m) in models.sorted(by: { $0.key < $1.key }) {
            guard m.records >= 0 else { return "model \(model): records is negative" }
            for (name, f) in m.features.sorted(by: { $0.key < $1.key }) {
                if let p = f.problem() { return "model \(model), feature \(name): \(p)" }
            }
        }
        return nil
    }
}

extension FeatureReference {
    /// What makes this feature's reference unusable, or nil.
    public func problem() -> String? {
        guard records >= 0, count >= 0, missing >= 0, invalid >= 0 else { return "a negative count" }
        for (name, value) in [("mean", mean), ("std", std), ("min", min), ("max", max)] {
            if let value, !value.isFinite { return "\(name) is not a finite number" }
        }
        if let std, std < 0 { return "std is negative" }
        if let min, let max, min > max { return "min (\(min)) is greater than max (\(max))" }
        if let quantiles, quantiles.contains(where: { $0.map { !$0.isFinite } ?? false }) {
            return "a quantile is not a finite number"
        }
        guard binCounts.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            return "bin_counts holds a negative or non-finite count"
        }
        if let values = sketchValues {
            guard let weights = sketchWeights, weights.count == values.count else {
                return "the sketch's values and weights differ in number"
            }
            guard values.allSatisfy(\.isFinite), weights.allSatisfy({ $0 >= 0 }) else {
                return "the sketch holds a non-finite value or a negative weight"
            }
        }
        if let filter = knownFilter, let p = filter.problem() { return "known_filter: \(p)" }
        switch type {
        case .numeric:
            if let bins {
                guard bins.edges.allSatisfy(\.isFinite), zip(bins.edges, bins.edges.dropFirst()).allSatisfy({ $0 < $1 })
                else { return "the bins' edges are not finite and increasing" }
                guard binCounts.isEmpty || binCounts.count == bins.count else {
                    return "\(binCounts.count) bin counts for \(bins.count) bins"
                }
            } else if !binCounts.isEmpty {
                return "bin counts without bins"
            }
        case .categorical:
            let categories = categories ?? []
            guard binCounts.isEmpty || binCounts.count == categories.count + 1 else {
                return "\(binCounts.count) bin counts for \(categories.count) categories and other"
            }
        }
        if thresholds.values.contains(where: { !$0.isFinite }) { return "a threshold is not a finite number" }
        return nil
    }
}

extension BloomFilter {
    /// What makes the filter unusable, or nil.
    public func problem() -> String? {
        guard bitCount > 0, bitCount % 64 == 0, words.count == bitCount / 64 else {
            return "\(words.count) words for \(bitCount) bits"
        }
        guard (1...64).contains(hashCount) else { return "hash count \(hashCount) is outside 1…64" }
        return nil
    }
}
