import DriftCore

/// The finished statistics of one feature in one window: what a `kind: feature` metric line carries.
public struct FeatureSummary: Hashable, Sendable {
    public struct TopValue: Hashable, Sendable {
        public var value: String
        public var count: Int

        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    public var feature: String
    public var type: FeatureType
    public var count: Int
    public var missing: Int
    public var invalid: Int
    /// The type most of the window's values had (nil with none): a feature whose values change type upstream
    /// (an id sent as a string from one release on) shows another type here than its settled `type`.
    public var observedType: FeatureType?
    // Numeric
    public var nonFinite: Int = 0
    public var mean: Double?
    public var std: Double?
    public var min: Double?
    public var max: Double?
    /// p01 … p99 (``quantileLevels``), from the window's KLL sketch.
    public var quantiles: [Double?] = []
    // Categorical
    public var distinct: Int?
    public var top: [TopValue] = []
    /// How far below its true frequency any `top` count may be (0: exact).
    public var topError: Int?
    /// Values the reference never saw (categorical, with a reference).
    public var unseen: Int?
    /// Drift against the reference; nil without one.
    public var drift: DriftValues?
    /// Counts on the reference's bins (deciles, or categories then `other`); empty without a reference.
    public var histogram: [Int] = []

    /// Whether most of the window's values were of another type than the feature's.
    public var typeChanged: Bool { observedType.map { $0 != type } ?? false }

    /// The quantiles every numeric feature line carries, and their field names.
    public static let quantileLevels: [Double] = [0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99]
    public static let quantileNames = ["p01", "p05", "p10", "p25", "p50", "p75", "p90", "p95", "p99"]

    /// How many top values a summary keeps.
    public static let topCount = 10

    /// Summarizes `accumulator` as `type`, for a window of `records` records of the feature's model.
    public init(feature: String, type: FeatureType, accumulator a: FeatureAccumulator, records: Int) {
        self.feature = feature
        self.type = type
        count = a.count(as: type)
        invalid = a.invalid(as: type)
        missing = a.missing(as: type, records: records)
        observedType = a.observedType
        switch type {
        case .numeric:
            let m = a.numeric.moments
            nonFinite = a.numeric.nonFinite
            if m.count > 0 {
                mean = m.mean
                min = m.min
                max = m.max
            }
            std = m.standardDeviation
            if m.count > 0 { quantiles = a.numeric.sketch.quantiles(Self.quantileLevels) }
        case .categorical:
            distinct = a.categorical.distinct
            top = a.categorical.top(Self.topCount).map { TopValue(value: $0.value, count: $0.count) }
            topError = a.categorical.heavyHitters.maxError
        }
    }
}
