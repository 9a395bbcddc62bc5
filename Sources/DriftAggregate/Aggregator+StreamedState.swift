/// The aggregator's checkpoint state a model at a time: with thousands of models the open windows' values are
/// hundreds of megabytes, and building their state and encoding it in one piece took several times that (10,000
/// models: 3 of the 4.1 GiB peak of a catch-up were the checkpoint).
extension Aggregator {
    /// One model's open windows, for a checkpoint.
    public struct ModelState: Encodable {
        let state: ModelWindows.State

        public func encode(to encoder: any Encoder) throws {
            try state.encode(to: encoder)
        }
    }

    /// ``state`` without the models' open windows (`models` empty; `modelNames` all there): what
    /// ``forEachModelState(_:)`` gives fills it in, in the order of `modelNames`.
    public var stateWithoutModels: State { stateOfModels(nil) }

    /// Each model's state, in the order of ``stateWithoutModels``'s `modelNames`, made as it is asked for.
    public func forEachModelState(_ body: (ModelState) throws -> Void) rethrows {
        for model in models.compactMap({ $0 }) { try body(ModelState(state: model.state(shards: shards))) }
    }

}

extension Aggregator.State {
    /// True when the state holds the models' windows (not ``Aggregator/stateWithoutModels``).
    public var holdsModelStates: Bool { !models.isEmpty }
}
