import DriftEvaluate
import DriftRecords
import DriftStats

/// The running state of one open (model, window): its counts and one accumulator per feature, by feature id.
struct WindowAccumulator: Codable {
    var records = 0
    var late = 0
    var rejected = 0
    var features: [FeatureAccumulator?] = []
    var performance = PerformanceAccumulator()

    /// Adds a record whose feature ids `ids` translates (its parser's to the aggregator's); features with a
    /// reference are also counted on its bins.
    mutating func add(_ record: Record, ids: [Int32], binners: [FeatureBinner?]) {
        records += 1
        if let actual = record.actualLabel, let predicted = record.predictedLabel {
            performance.add(predictedLabel: predicted, actual: actual)
        }
        if let actual = record.actualValue, let predicted = record.predictedValue {
            performance.add(predictedValue: predicted, actual: actual)
        }
        for (feature, value) in record.values {
            let id = Int(ids[Int(feature)])
            if id >= features.count { features.append(contentsOf: repeatElement(nil, count: id + 1 - features.count)) }
            let binner = id < binners.count ? binners[id] : nil
            if case .none = features[id] { features[id] = FeatureAccumulator(binCount: binner?.binCount ?? 0) }
            Self.add(value, binner, to: &features[id]!)
        }
    }

    /// One value into its feature's accumulator, in place.
    private static func add(_ value: FeatureValue, _ binner: FeatureBinner?, to a: inout FeatureAccumulator) {
        switch value {
        case .number(let x):
            a.addNumber(x)
            if x.isFinite, let placed = binner?.place(number: x) { a.countBin(placed.bin, outOfRange: placed.outOfRange) }
        case .category(let s):
            a.addCategory(s)
            if let placed = binner?.place(category: s) { a.countBin(placed.bin, unseen: placed.unseen) }
        case .structured:
            a.addStructured()
        case .null:
            break  // missing, counted by difference at close; the entry makes the feature appear in this window
        }
    }
}
