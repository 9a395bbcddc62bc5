import DriftRecords
import DriftStats

/// The running state of one open (model, window): its counts and one accumulator per feature.
struct WindowAccumulator {
    var records = 0
    var late = 0
    var rejected = 0
    var features: [String: FeatureAccumulator] = [:]

    mutating func add(_ record: Record) {
        records += 1
        for (name, value) in record.values {
            switch value {
            case .number(let x): features[name, default: FeatureAccumulator()].addNumber(x)
            case .category(let s): features[name, default: FeatureAccumulator()].addCategory(s)
            case .structured: features[name, default: FeatureAccumulator()].addStructured()
            case .null:
                // Missing, counted by difference at close; the entry makes the feature appear in this window.
                if features[name] == nil { features[name] = FeatureAccumulator() }
            }
        }
    }
}
