import DriftEvaluate
import DriftRecords
import DriftStats

/// The running state of one open (model, window): its counts, and its feature accumulators, which live in the
/// ``FeatureShards`` under `slot` while the window is open (and here only in a checkpoint, and at close).
struct WindowAccumulator: Codable {
    var records = 0
    var late = 0
    var rejected = 0
    var features: [FeatureAccumulator?] = []
    var performance = PerformanceAccumulator()
    /// Where the shards keep this window's features; assigned by the aggregator, not checkpointed.
    var slot: Int32 = -1

    private enum CodingKeys: String, CodingKey { case records, late, rejected, features, performance }

    init(slot: Int32) {
        self.slot = slot
    }

    /// Counts a record of the window and its outcome; its feature values go to the shards.
    mutating func add(_ record: Record, in batch: RecordBuffer.View) {
        records += 1
        if let actual = record.actualLabel, let predicted = record.predictedLabel {
            performance.addClassified(correct: batch.bytes(actual).elementsEqual(batch.bytes(predicted)))
        }
        if let actual = record.actualValue, let predicted = record.predictedValue {
            performance.add(predictedValue: predicted, actual: actual)
        }
    }
}
