import DriftCore

extension EventTime {
    /// An epoch timestamp whose unit is told by its magnitude: seconds below 1e11 (until the year 5138),
    /// milliseconds below 1e14, microseconds below 1e17, nanoseconds above. Fractions are kept to the
    /// microsecond. Nil for non-finite values and those outside 1678–2262.
    public init?(epoch value: Double) {
        guard value.isFinite else { return nil }
        let magnitude = abs(value)
        let nanosPerUnit: Int64 =
            magnitude < 1e11 ? 1_000_000_000 : magnitude < 1e14 ? 1_000_000 : magnitude < 1e17 ? 1000 : 1
        let whole = value.rounded(.down)
        guard abs(whole) < 9.2e18 else { return nil }
        let (wholeNanos, overflow) = Int64(whole).multipliedReportingOverflow(by: nanosPerUnit)
        guard !overflow else { return nil }
        // The fraction (exact in binary floating point) is kept to the microsecond.
        let fractionMicros = ((value - whole) * Double(nanosPerUnit) / 1000).rounded()
        let fractionNanos = Int64(fractionMicros) * 1000
        self.init(nanoseconds: wholeNanos + fractionNanos)
    }

    /// An integer epoch timestamp, exact at every unit (a double cannot hold nanoseconds since 1970 exactly).
    public init?(epochInteger value: Int64) {
        let magnitude = value.magnitude
        let nanosPerUnit: Int64 =
            magnitude < 100_000_000_000 ? 1_000_000_000
            : magnitude < 100_000_000_000_000 ? 1_000_000 : magnitude < 100_000_000_000_000_000 ? 1000 : 1
        let (nanos, overflow) = value.multipliedReportingOverflow(by: nanosPerUnit)
        guard !overflow else { return nil }
        self.init(nanoseconds: nanos)
    }
}
