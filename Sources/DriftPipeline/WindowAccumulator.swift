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

    /// Adds a record (its values in `batch`) whose feature ids `ids` translates (its parser's to the
    /// aggregator's); features with a reference are also counted on their bins.
    mutating func add(_ record: Record, in batch: RecordBuffer.View, ids: [Int32], binners: [FeatureBinner?]) {
        records += 1
        if let actual = record.actualLabel, let predicted = record.predictedLabel {
            performance.addClassified(correct: batch.bytes(actual).elementsEqual(batch.bytes(predicted)))
        }
        if let actual = record.actualValue, let predicted = record.predictedValue {
            performance.add(predictedValue: predicted, actual: actual)
        }
        for (feature, value) in batch.values(of: record) {
            let id = Int(ids[Int(feature)])
            if id >= features.count { features.append(contentsOf: repeatElement(nil, count: id + 1 - features.count)) }
            let binner = id < binners.count ? binners[id] : nil
            if case .none = features[id] { features[id] = FeatureAccumulator(binCount: binner?.binCount ?? 0) }
            Self.add(value, batch, binner, to: &features[id]!)
        }
    }

    /// One value into its feature's accumulator, in place.
    private static func add(_ value: FeatureValue, _ batch: RecordBuffer.View, _ binner: FeatureBinner?,
                            to a: inout FeatureAccumulator) {
        switch value {
        case .number(let x):
            a.addNumber(x)
            if x.isFinite, let placed = binner?.place(number: x) { a.countBin(placed.bin, outOfRange: placed.outOfRange) }
        case .category(let range):
            let bytes = batch.bytes(range)
            a.addCategory(bytes: bytes)
            if let binner, let placed = binner.place(category: String(decoding: bytes, as: UTF8.self)) {
                a.countBin(placed.bin, unseen: placed.unseen)
            }
        case .structured:
            a.addStructured()
        case .null:
            break  // missing, counted by difference at close; the entry makes the feature appear in this window
        }
    }
}
