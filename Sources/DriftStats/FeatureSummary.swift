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
    // Numeric
    public var nonFinite: Int = 0
    public var mean: Double?
    public var std: Double?
    public var min: Double?
    public var max: Double?
    // Categorical
    public var distinct: Int?
    public var top: [TopValue] = []

    /// How many top values a summary keeps.
    public static let topCount = 10

    /// Summarizes `accumulator` as `type`, for a window of `records` records of the feature's model.
    public init(feature: String, type: FeatureType, accumulator a: FeatureAccumulator, records: Int) {
        self.feature = feature
        self.type = type
        count = a.count(as: type)
        invalid = a.invalid(as: type)
        missing = records - count - invalid
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
        case .categorical:
            distinct = a.categorical.distinct
            top = a.categorical.top(Self.topCount).map { TopValue(value: $0.value, count: $0.count) }
        }
    }
}
