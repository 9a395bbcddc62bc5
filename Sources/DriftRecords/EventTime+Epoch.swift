import DriftCore

extension EventTime {
    /// An epoch timestamp whose unit is told by its magnitude: seconds below 1e11 (until the year 5138),
    /// milliseconds below 1e14, microseconds below 1e17, nanoseconds above. Fractions are kept to the
    /// microsecond. Nil for non-finite values and those outside ``EventTime/representable``.
    public init?(epoch value: Double) {
        guard let t = Self.parse(epoch: value).time else { return nil }
        self = t
    }

    /// Like ``init(epoch:)``, telling a time outside ``EventTime/representable`` from a non-finite value.
    public static func parse(epoch value: Double) -> ParsedTime {
        guard value.isFinite else { return .invalid }
        let magnitude = abs(value)
        let nanosPerUnit: Int64 =
            magnitude < 1e11 ? 1_000_000_000 : magnitude < 1e14 ? 1_000_000 : magnitude < 1e17 ? 1000 : 1
        let whole = value.rounded(.down)
        guard abs(whole) < 9.2e18 else { return .outOfRange }
        let (wholeNanos, overflow) = Int64(whole).multipliedReportingOverflow(by: nanosPerUnit)
        guard !overflow else { return .outOfRange }
        // The fraction (exact in binary floating point) is kept to the microsecond.
        let fractionMicros = ((value - whole) * Double(nanosPerUnit) / 1000).rounded()
        let t = EventTime(nanoseconds: wholeNanos + Int64(fractionMicros) * 1000)
        return t.isRepresentable ? .time(t) : .outOfRange
    }

    /// An integer epoch timestamp, exact at every unit (a double cannot hold nanoseconds since 1970 exactly).
    public init?(epochInteger value: Int64) {
        guard let t = Self.parse(epochInteger: value).time else { return nil }
        self = t
    }

    /// Like ``init(epochInteger:)``, telling a time outside ``EventTime/representable`` apart.
    public static func parse(epochInteger value: Int64) -> ParsedTime {
        let magnitude = value.magnitude
        let nanosPerUnit: Int64 =
            magnitude < 100_000_000_000
            ? 1_000_000_000
            : magnitude < 100_000_000_000_000 ? 1_000_000 : magnitude < 100_000_000_000_000_000 ? 1000 : 1
        let (nanos, overflow) = value.multipliedReportingOverflow(by: nanosPerUnit)
        guard !overflow else { return .outOfRange }
        let t = EventTime(nanoseconds: nanos)
        return t.isRepresentable ? .time(t) : .outOfRange
    }
}
