/// The numeric statistics of one feature in one window (or one partial of it): exact count and moments, a KLL
/// sketch for quantiles and distribution distances.
public struct NumericAccumulator: Hashable, Sendable, Codable {
    // Underscored storage behind read-only properties, so that `add` can be inlined into the aggregator (see
    // `Moments`).
    @usableFromInline var _count: Int = 0
    @usableFromInline var _nonFinite: Int = 0
    @usableFromInline var _moments = Moments()
    @usableFromInline var _sketch = KLLSketch()

    /// Every numeric value, finite or not.
    public var count: Int { _count }
    /// NaN and ±infinity: counted as values, left out of the moments and the sketch.
    public var nonFinite: Int { _nonFinite }
    public var moments: Moments { _moments }
    public var sketch: KLLSketch { _sketch }

    private enum CodingKeys: String, CodingKey {
        case _count = "count"
        case _nonFinite = "nonFinite"
        case _moments = "moments"
        case _sketch = "sketch"
    }

    public init() {}

    @inlinable
    public mutating func add(_ x: Double) {
        _count += 1
        if x.isFinite {
            _moments.add(x)
            _sketch.add(x)
        } else {
            _nonFinite += 1
        }
    }

    public mutating func merge(_ other: NumericAccumulator) {
        _count += other._count
        _nonFinite += other._nonFinite
        _moments.merge(other._moments)
        _sketch.merge(other._sketch)
    }
}
