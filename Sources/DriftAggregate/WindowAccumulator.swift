import DriftCore
import DriftEvaluate
import DriftRecords
import DriftStats

/// The running state of one open (model, window): its counts, and its feature accumulators, which live in the
/// ``FeatureShards`` under `slot` while the window is open (and here only in a checkpoint, and at close).
struct WindowAccumulator: Codable {
    var records = 0
    var late = 0
    var rejected = 0
    /// By the aggregator's feature id: only the window's own features (a fleet's models name theirs differently).
    var features: [Int32: FeatureAccumulator] = [:]
    var performance = PerformanceAccumulator()
    /// Scores by bin and predicted class, for models whose reference can estimate performance without labels.
    var scores: ScoreBins?
    /// Where the shards keep this window's features; assigned by the aggregator, not checkpointed.
    var slot: Int32 = -1
    /// The coarser window size (its index) this window is merged into when it closes
    /// (``WindowSpec/feeds(_:)``): the records it takes are not added to that size's window directly. Nil for
    /// windows made before composition (absent in older checkpoints): their records went to every size.
    var feeds: Int32?
    /// A window fed by a finer size: the records late for their finer window but in time for this one, kept apart
    /// (with a slot of their own) and merged in at close, after every finer window. Merged as they came, they would
    /// interleave with the finer windows' merges as batches happen to end, and change the last bits.
    var direct: [WindowAccumulator] = []

    private enum CodingKeys: String, CodingKey {
        case records, late, rejected, features, performance, scores, feeds, direct
    }

    init(slot: Int32) {
        self.slot = slot
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        records = try c.decode(Int.self, forKey: .records)
        late = try c.decode(Int.self, forKey: .late)
        rejected = try c.decode(Int.self, forKey: .rejected)
        performance = try c.decode(PerformanceAccumulator.self, forKey: .performance)
        scores = try c.decodeIfPresent(ScoreBins.self, forKey: .scores)
        feeds = try c.decodeIfPresent(Int32.self, forKey: .feeds)
        direct = try c.decodeIfPresent([WindowAccumulator].self, forKey: .direct) ?? []
        if let byID = try? c.decode([Int32: FeatureAccumulator].self, forKey: .features) {
            features = byID
        } else {
            // Checkpoints before 2026-12-01: an array by id, null where the window had no such feature.
            let list = try c.decode([FeatureAccumulator?].self, forKey: .features)
            for (id, a) in list.enumerated() { features[Int32(id)] = a }
        }
    }

    /// Features in id order: the same state, the same checkpoint bytes.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(records, forKey: .records)
        try c.encode(late, forKey: .late)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(SortedPairs(features), forKey: .features)
        try c.encode(performance, forKey: .performance)
        try c.encodeIfPresent(scores, forKey: .scores)
        try c.encodeIfPresent(feeds, forKey: .feeds)
        if !direct.isEmpty { try c.encode(direct, forKey: .direct) }
    }

    /// Takes in a window or part whose features are held in it, not in the shards (at close, or at a restore): its
    /// records, outcomes and features, and its own part kept apart (a 5m window merged into its 1h window at a
    /// restore brings the records late for their 1m windows too).
    mutating func merge(_ part: WindowAccumulator) {
        absorb(part)
        for (id, a) in part.features { features[id, default: FeatureAccumulator()].merge(a) }
        for inner in part.direct { merge(inner) }
    }

    /// Takes in a finer window that closed (its features go through the shards): its records and outcomes.
    mutating func absorb(_ finer: WindowAccumulator) {
        records += finer.records
        performance.merge(finer.performance)
        if let s = finer.scores {
            if scores == nil { scores = s } else { scores!.merge(s) }
        }
    }

    /// Counts a record of the window and its outcome; its feature values go to the shards. `scoring`: the model's
    /// reference can estimate performance, so the record's score is binned with its predicted class.
    mutating func add(_ record: Record, in batch: RecordBuffer.View, scoring: Bool = false, classes: PositiveClass) {
        records += 1
        if scoring, let score = record.predictedValue {
            // The predicted label's class as `performance.positive_label` says (by default 1/true; any other label
            // is negative), else the score's side of 0.5.
            let positive = record.predictedLabel.map { classes.of(batch.bytes($0)) ?? false } ?? (score >= 0.5)
            if scores == nil { scores = ScoreBins() }
            scores!.add(score: score, predictedPositive: positive)
        }
        guard record.actualLabel != nil || record.actualValue != nil,
            let actual = ActualOutcome(
                label: record.actualLabel.map(batch.bytes), value: record.actualValue, classes: classes)
        else { return }
        performance.add(
            PredictedOutcome(
                label: record.predictedLabel.map(batch.bytes), value: record.predictedValue, classes: classes),
            actual)
    }
}
