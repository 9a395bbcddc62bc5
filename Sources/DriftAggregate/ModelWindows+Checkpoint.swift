import DriftCore
import DriftEvaluate
import DriftStats

/// What a checkpoint keeps of a model's windows, and continuing from it.
extension ModelWindows {
    /// Fits the open windows' bin counts to the reference loaded now (names by the aggregator's ids): a restart
    /// with a rebuilt reference must not count values into bins the accumulator does not have.
    mutating func fitBins(names: [String]) {
        func fit(_ window: inout WindowAccumulator) {
            for (id, a) in window.features where Int(id) < names.count {
                let expected = binnersByName[names[Int(id)]]?.binCount ?? 0
                if a.bins.count != expected { window.features[id]!.resetBins(count: expected) }
            }
            for k in window.direct.indices { fit(&window.direct[k]) }
        }
        for i in specs.indices {
            for start in specs[i].open.keys { fit(&specs[i].open[start]!) }
        }
    }

    /// For a checkpoint of an earlier version (no admitted features): admits the features of the open windows
    /// and those with a settled type, by the aggregator's ids `idOf`.
    mutating func admitFromOpenWindows(idOf: (String) -> Int32?) {
        let newest = specs.compactMap(\.tracker.maxEventTime?.nanoseconds).max() ?? 0
        for spec in specs {
            for window in spec.open.values {
                for id in window.features.keys { admitted[id] = newest }
                for part in window.direct { for id in part.features.keys { admitted[id] = newest } }
            }
        }
        for name in types.keys where reference?.features[name] == nil {
            if let id = idOf(name) { admitted[id] = newest }
        }
    }

    /// A checkpoint whose windows were merged into coarser ones otherwise than the configuration says now (an
    /// allowed lateness or idle timeout changed): each window that feeds another is merged into it now and then
    /// takes records as windows made before composition do (every size gets them), so that no record is lost
    /// or counted twice. Finer sizes first: a window merged into one that feeds another reaches that one too.
    mutating func unfoldComposition() {
        let differs = specs.indices.contains { i in
            specs[i].open.values.contains { $0.feeds != nil && $0.feeds.map(Int.init) != feeds[i] }
        }
        guard differs else { return }
        for i in specs.indices {
            for start in specs[i].open.keys.sorted() {
                guard let j = specs[i].open[start]!.feeds.map(Int.init) else { continue }
                specs[i].open[start]!.feeds = nil
                let target =
                    j < specs.count
                    ? specs[j].tracker.spec.newestStart(containing: EventTime(nanoseconds: start)) : nil
                guard let target, specs[j].open[target] != nil else { continue }
                specs[j].open[target]!.merge(specs[i].open[start]!)
            }
        }
    }

    /// Gives each restored open window a slot and hands its features to the shards.
    mutating func distribute(to shards: FeatureShards) {
        for i in specs.indices {
            for start in specs[i].open.keys.sorted() {
                Self.distribute(&specs[i].open[start]!, to: shards)
                for k in specs[i].open[start]!.direct.indices {
                    Self.distribute(&specs[i].open[start]!.direct[k], to: shards)
                }
            }
        }
    }

    private static func distribute(_ window: inout WindowAccumulator, to shards: FeatureShards) {
        let slot = shards.allocate(features: window.features.count)
        shards.restore(window.features, slot: slot)
        window.features = [:]
        window.slot = slot
    }

    /// The checkpoint state, the open windows' features gathered from the shards.
    func state(shards: FeatureShards) -> State {
        var state = State(model: model, specs: specs, types: types, admitted: admitted)
        for i in state.specs.indices {
            for (start, acc) in state.specs[i].open {
                state.specs[i].open[start]!.features = shards.features(of: acc.slot, take: false)
                for (k, part) in acc.direct.enumerated() {
                    state.specs[i].open[start]!.direct[k].features = shards.features(of: part.slot, take: false)
                }
            }
        }
        return state
    }
}
