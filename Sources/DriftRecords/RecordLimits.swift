import DriftCore

/// The bounds on what one input can make driftd hold (DESIGN §8, `limits` in the config): what exceeds them is
/// counted, logged and rejected, never a crash and never memory without bound.
public struct RecordLimits: Hashable, Sendable {
    /// Longer lines are rejected (`too_long`).
    public var maxLineBytes = 1 << 20
    /// Records whose event time is further ahead of the wall clock are rejected (`future`): one would push the
    /// watermark past every record after it. Nil: no limit (tests of historical data only).
    public var maxFuture: Span? = .seconds(300)
    /// Models with state at once; a record of a new model beyond it is rejected (`too_many_models`) unless a model
    /// whose windows are all closed can make room.
    public var maxModels = 10_000
    /// Features per model; values of further features are dropped and counted (`too_many_features`).
    public var maxFeatures = 1_000

    public init(
        maxLineBytes: Int = 1 << 20, maxFuture: Span? = .seconds(300), maxModels: Int = 10_000,
        maxFeatures: Int = 1_000
    ) {
        self.maxLineBytes = maxLineBytes
        self.maxFuture = maxFuture
        self.maxModels = maxModels
        self.maxFeatures = maxFeatures
    }
}
