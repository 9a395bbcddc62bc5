import DriftEvaluate
import DriftStats

/// What a checkpoint keeps of a model's windows, and continuing from it.
extension ModelWindows {
    /// Fits the open windows' bin counts to the reference loaded now (names by the aggregator's ids): a restart
    /// with a rebuilt reference must not count values into bins the accumulator does not have.
    mutating func fitBins(names: [String]) {
        for i in specs.indices {
            for (start, window) in specs[i].open {
                for (id, a) in window.features where Int(id) < names.count {
                    let expected = binnersByName[names[Int(id)]]?.binCount ?? 0
                    if a.bins.count != expected { specs[i].open[start]!.features[id]!.resetBins(count: expected) }
                }
            }
        }
    }

    /// For a checkpoint of an earlier version (no admitted features): admits the features of the open windows
    /// and those with a settled type, by the aggregator's ids `idOf`.
    mutating func admitFromOpenWindows(idOf: (String) -> Int32?) {
        let newest = specs.compactMap(\.tracker.maxEventTime?.nanoseconds).max() ?? 0
        for spec in specs {
            for window in spec.open.values {
                for id in window.features.keys { admitted[id] = newest }
            }
        }
        for name in types.keys where reference?.features[name] == nil {
            if let id = idOf(name) { admitted[id] = newest }
        }
    }

    /// Gives each restored open window a slot and hands its features to the shards.
    mutating func distribute(to shards: FeatureShards) {
        for i in specs.indices {
            for start in specs[i].open.keys.sorted() {
                let slot = shards.allocate(features: specs[i].open[start]!.features.count)
                shards.restore(specs[i].open[start]!.features, slot: slot)
                specs[i].open[start]!.features = [:]
                specs[i].open[start]!.slot = slot
            }
        }
    }

    /// The checkpoint state, the open windows' features gathered from the shards.
    func state(shards: FeatureShards) -> State {
        var state = State(model: model, specs: specs, types: types, admitted: admitted)
        for i in state.specs.indices {
            for (start, acc) in state.specs[i].open {
                state.specs[i].open[start]!.features = shards.features(of: acc.slot, take: false)
            }
        }
        return state
    }
}
