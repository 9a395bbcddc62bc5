/// The numeric statistics of one feature in one window (or one partial of it): exact count and moments, a KLL
/// sketch for quantiles and distribution distances.
public struct NumericAccumulator: Hashable, Sendable, Codable {
    /// Every numeric value, finite or not.
    public private(set) var count: Int = 0
    /// NaN and ±infinity: counted as values, left out of the moments and the sketch.
    public private(set) var nonFinite: Int = 0
    public private(set) var moments = Moments()
    public private(set) var sketch = KLLSketch()

    public init() {}

    public mutating func add(_ x: Double) {
        count += 1
        if x.isFinite {
            moments.add(x)
            sketch.add(x)
        } else {
            nonFinite += 1
        }
    }

    public mutating func merge(_ other: NumericAccumulator) {
        count += other.count
        nonFinite += other.nonFinite
        moments.merge(other.moments)
        sketch.merge(other.sketch)
    }
}
