import DriftEvaluate
import DriftRecords
import DriftStats

/// The running state of one open (model, window): its counts and one accumulator per feature.
struct WindowAccumulator: Codable {
    var records = 0
    var late = 0
    var rejected = 0
    var features: [String: FeatureAccumulator] = [:]
    var performance = PerformanceAccumulator()

    /// Adds a record; features with a reference are also counted on its bins.
    mutating func add(_ record: Record, binners: [String: FeatureBinner]) {
        records += 1
        if let actual = record.actualLabel, let predicted = record.predictedLabel {
            performance.add(predictedLabel: predicted, actual: actual)
        }
        if let actual = record.actualValue, let predicted = record.predictedValue {
            performance.add(predictedValue: predicted, actual: actual)
        }
        for (name, value) in record.values {
            let binner = binners[name]
            Self.add(value, binner, to: &features[name, default: FeatureAccumulator(binCount: binner?.binCount ?? 0)])
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
