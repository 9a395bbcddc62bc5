import DriftCore
import DriftStats

/// One line of `profiles.jsonl` (schema `driftd.profile.v1`, DESIGN §6), typed: one feature of one window of one
/// instance, with its mergeable state.
public struct ProfileRecord: Sendable {
    public var model: String
    public var modelVersion: String?
    public var instance: String
    /// The window size's label (`5m`).
    public var window: String
    public var start: EventTime
    public var end: EventTime
    public var feature: String
    public var type: FeatureType
    /// The window's records of the model (lines of one window and instance all say the same).
    public var records: Int
    public var n: Int
    public var missing: Int
    public var invalid: Int
    public var nonFinite: Int
    public var shift: Double
    /// Σ (x − shift) and Σ (x − shift)² over the finite values.
    public var sum: Double
    public var sumSq: Double
    public var min: Double?
    public var max: Double?
    public var hist: [Int]
    public var ref: String?
    public var top: [(value: String, count: Int)]
    public var topError: Int
    public var outOfRange: Int
    public var unseen: Int
    public var kll: DataSketchesKLL?
    public var hll: HLL8Sketch

    public init(
        model: String, modelVersion: String?, instance: String, window: String, start: EventTime, end: EventTime,
        feature: String, type: FeatureType, records: Int, n: Int, missing: Int, invalid: Int
    ) {
        (self.model, self.modelVersion, self.instance, self.window) = (model, modelVersion, instance, window)
        (self.start, self.end, self.feature, self.type) = (start, end, feature, type)
        (self.records, self.n, self.missing, self.invalid) = (records, n, missing, invalid)
        nonFinite = 0
        shift = 0
        sum = 0
        sumSq = 0
        hist = []
        top = []
        topError = 0
        outOfRange = 0
        unseen = 0
        hll = HLL8Sketch()
    }

    /// The finite values' moments, from the shifted sums.
    public var moments: Moments {
        let finite = n - nonFinite
        guard finite > 0, let min, let max else { return Moments() }
        let mean = sum / Double(finite)
        return Moments(count: finite, mean: shift + mean, m2: Swift.max(0, sumSq - sum * mean), min: min, max: max)
    }
}
