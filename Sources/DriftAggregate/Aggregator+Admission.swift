import DequeModule
import DriftCore
import DriftRecords

/// Admission within the limits (DESIGN §8): a model is taken while fewer than `limits.maxModels` are held (else a
/// dormant one is evicted to make room, or the record rejected), a feature while its model has fewer than
/// `limits.maxFeatures`; the ids of what is let go are released and forgotten by every translation table.
extension Aggregator {
    /// The aggregator's id for a parser's model `id`, making room by evicting a dormant model when the limit is
    /// reached; -1 when there is none to evict (the record is rejected).
    /// `models` and `features` are the batch's parser's tables, held outside ``modelTables`` and
    /// ``featureTables`` while its records are placed.
    mutating func admitModel(
        parser p: Int, id: Int32, now: Int64, models table: inout [Int32],
        features featureTable: inout [Int32]
    ) -> Int32 {
        let name = parserModels[p][Int(id)]
        if let known = modelNames.id(of: name) {  // held, under another parser's id
            table[Int(id)] = known
            return known
        }
        if modelNames.count >= limits.maxModels, !evictDormant(models: &table, features: &featureTable) { return -1 }
        let model = modelNames.retain(name)
        let windows = ModelWindows(
            model: name, specs: specs, reference: reference?.models[ModelKey.split(name).model],
            overrides: schema.types, classes: performance.classes,
            trackers: evicted.take(name) ?? [])
        if Int(model) < models.count {
            models[Int(model)] = windows
            lastRecordAt[Int(model)] = now
        } else {
            models.append(windows)
            lastRecordAt.append(now)
        }
        table[Int(id)] = model
        return model
    }

    /// Evicts the longest-dormant model that is still dormant; false when none is. Its ids, and those of the
    /// features it alone held, are forgotten by every translation table (the batch's included).
    mutating func evictDormant(models table: inout [Int32], features featureTable: inout [Int32]) -> Bool {
        while let id = dormant.popFirst() {
            guard let m = models[Int(id)], m.isDormant else { continue }
            evicted.keep(m.model, trackers: m.trackers)
            var freed: Set<Int32> = []
            for feature in m.admittedIDs where features.release(feature) { freed.insert(feature) }
            models[Int(id)] = nil
            modelNames.release(id)
            if lastModel == id { lastModel = nil }
            for p in modelTables.indices { Self.forget([id], in: &modelTables[p]) }
            Self.forget([id], in: &table)
            if !freed.isEmpty {
                for p in featureTables.indices { Self.forget(freed, in: &featureTables[p]) }
                Self.forget(freed, in: &featureTable)
            }
            ModelEvicted(model: m.model).emit(to: telemetry)
            return true
        }
        return false
    }

    /// Sets every entry of `table` that is one of `ids` to -1 (not translated).
    static func forget(_ ids: Set<Int32>, in table: inout [Int32]) {
        for i in table.indices where ids.contains(table[i]) { table[i] = -1 }
    }

    /// Admits the features of a record whose shape the model has not seen, up to `limits.maxFeatures`; the values
    /// of features beyond are listed in `dropped` (by index into the batch's values) and counted.
    mutating func admitFeatures(
        of record: Record, values: UnsafeBufferPointer<RecordBuffer.Value>, base: Int, model: Int32, parser p: Int,
        source: String, table: inout [Int32], dropped: inout [Int]
    ) {
        var anyDropped = false
        for (offset, value) in values.enumerated() {
            let pid = Int(value.feature)
            var id = table[pid]
            if id >= 0 && models[Int(model)]!.isAdmitted(id) { continue }
            guard models[Int(model)]!.admittedCount < limits.maxFeatures else {
                dropped.append(base + offset)
                anyDropped = true
                FeatureValuesDropped(
                    source: source, model: models[Int(model)]!.model, feature: parserFeatures[p][pid],
                    reason: .tooManyFeatures, count: 1
                ).emit(to: telemetry)
                continue
            }
            if id >= 0 {
                features.retain(id: id)
            } else {
                id = features.retain(parserFeatures[p][pid])
                table[pid] = id
            }
            models[Int(model)]!.admit(id, at: record.time.nanoseconds)
        }
        if !anyDropped { models[Int(model)]!.rememberShape(values, parser: p) }
    }

    /// Releases the ids of features the models retired; a freed id is forgotten by every translation table.
    mutating func releaseRetired() {
        releaseRetired(of: models.indices.lazy.map { Int32($0) })
    }

    /// Releases the ids of features that the models `ids` retired (only a model whose window closed retires any:
    /// a batch looks at those, not at every model).
    mutating func releaseRetired(of ids: some Sequence<Int32>) {
        var freed: Set<Int32> = []
        for i in ids.lazy.map({ Int($0) }) where models[i] != nil {
            for id in models[i]!.takeRetired() where features.release(id) { freed.insert(id) }
        }
        guard !freed.isEmpty else { return }
        for p in featureTables.indices { Self.forget(freed, in: &featureTables[p]) }
        FeaturesRetired(count: freed.count).emit(to: telemetry)
    }
}
