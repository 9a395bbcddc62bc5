import DriftCore

extension EventTime {
    /// An epoch timestamp whose unit is told by its magnitude: seconds below 1e11 (until the year 5138),
    /// milliseconds below 1e14, microseconds below 1e17, nanoseconds above. Fractions are kept to the
    /// microsecond. Nil for non-finite values and those outside 1678–2262.
    public init?(epoch value: Double) {
        guard value.isFinite else { return nil }
        let magnitude = abs(value)
        let nanosPerUnit: Double =
            magnitude < 1e11 ? 1e9 : magnitude < 1e14 ? 1e6 : magnitude < 1e17 ? 1e3 : 1
        let whole = value.rounded(.down)
        let fraction = value - whole  // exact in binary floating point
        let wholeNanos = whole * nanosPerUnit
        guard abs(wholeNanos) < 9.2e18 else { return nil }
        let fractionNanos = nanosPerUnit >= 1e3 ? (fraction * 1e6).rounded() * (nanosPerUnit / 1e6) : 0
        self.init(nanoseconds: Int64(wholeNanos) + Int64(fractionNanos))
    }
}
