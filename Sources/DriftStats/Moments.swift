/// Count, mean, sum of squared deviations, min and max of finite values: Welford's update per value,
/// Chan et al.'s formulas to merge partials (numerically stable, order-independent to rounding).
public struct Moments: Hashable, Sendable, Codable {
    // Stored under underscored names, readable through the properties below: `add` is inlinable (it runs for every
    // numeric value, from another module), and inlinable code may only set what is visible to it.
    @usableFromInline var _count: Int = 0
    @usableFromInline var _mean: Double = 0
    @usableFromInline var _m2: Double = 0
    @usableFromInline var _min: Double = .infinity
    @usableFromInline var _max: Double = -.infinity

    public var count: Int { _count }
    public var mean: Double { _mean }
    /// Sum of squared deviations from the mean.
    public var m2: Double { _m2 }
    public var min: Double { _min }
    public var max: Double { _max }

    private enum CodingKeys: String, CodingKey {
        case _count = "count"
        case _mean = "mean"
        case _m2 = "m2"
        case _min = "min"
        case _max = "max"
    }

    public init() {}

    /// Moments given by their parts (a merged profile's): `m2` is the sum of squared deviations from `mean`.
    public init(count: Int, mean: Double, m2: Double, min: Double, max: Double) {
        (_count, _mean, _m2, _min, _max) = (count, mean, m2, min, max)
    }

    @inlinable
    public mutating func add(_ x: Double) {
        _count += 1
        let delta = x - _mean
        _mean += delta / Double(_count)
        _m2 += delta * (x - _mean)
        if x < _min { _min = x }
        if x > _max { _max = x }
    }

    public mutating func merge(_ other: Moments) {
        guard other._count > 0 else { return }
        guard _count > 0 else {
            self = other
            return
        }
        let n = Double(_count + other._count)
        let delta = other._mean - _mean
        _mean += delta * Double(other._count) / n
        _m2 += other._m2 + delta * delta * Double(_count) * Double(other._count) / n
        _count += other._count
        _min = Swift.min(_min, other._min)
        _max = Swift.max(_max, other._max)
    }

    /// Sample variance (n − 1); nil below two values.
    public var variance: Double? { count > 1 ? Swift.max(0, m2 / Double(count - 1)) : nil }
    /// Sample standard deviation (n − 1); nil below two values.
    public var standardDeviation: Double? { variance.map { $0.squareRoot() } }
    /// Population standard deviation (n); nil without values.
    public var populationStandardDeviation: Double? { count > 0 ? Swift.max(0, m2 / Double(count)).squareRoot() : nil }
}
