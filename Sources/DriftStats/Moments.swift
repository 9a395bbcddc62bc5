/// Count, mean, sum of squared deviations, min and max of finite values: Welford's update per value,
/// Chan et al.'s formulas to merge partials (numerically stable, order-independent to rounding).
public struct Moments: Hashable, Sendable, Codable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    /// Sum of squared deviations from the mean.
    public private(set) var m2: Double = 0
    public private(set) var min: Double = .infinity
    public private(set) var max: Double = -.infinity

    public init() {}

    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        if x < min { min = x }
        if x > max { max = x }
    }

    public mutating func merge(_ other: Moments) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// Sample variance (n − 1); nil below two values.
    public var variance: Double? { count > 1 ? Swift.max(0, m2 / Double(count - 1)) : nil }
    /// Sample standard deviation (n − 1); nil below two values.
    public var standardDeviation: Double? { variance.map { $0.squareRoot() } }
    /// Population standard deviation (n); nil without values.
    public var populationStandardDeviation: Double? { count > 0 ? Swift.max(0, m2 / Double(count)).squareRoot() : nil }
}
