import DriftCore

/// One configured window size (DESIGN §3, §11 `windows`): event-time windows of `size`, starting every
/// `slide`, aligned to the Unix epoch (a 1h window starts on the hour, UTC), half-open `[start, end)`.
public struct WindowSpec: Hashable, Sendable, Codable {
    public var size: Span
    /// Equal to `size` for tumbling windows; a divisor of it for sliding ones.
    public var slide: Span
    public var allowedLateness: Span
    public var idleTimeout: Span
    /// Windows with fewer records are reported but never alert.
    public var minCount: Int

    public init(
        size: Span, slide: Span? = nil, allowedLateness: Span = .seconds(60), idleTimeout: Span = .seconds(30),
        minCount: Int = 100
    ) {
        self.size = size
        self.slide = slide ?? size
        self.allowedLateness = allowedLateness
        self.idleTimeout = idleTimeout
        self.minCount = minCount
    }

    /// The most windows one record may fall in (size / slide): more would make one record cost that many
    /// updates (DESIGN §3: `check` refuses such a spec).
    public static let maxWindowsPerRecord = 1_000

    /// The label used in metric lines and alert labels: the size, as configured (`5m`, `1h`).
    public var label: String { slide == size ? size.description : "\(size)/\(slide)" }

    public var isTumbling: Bool { slide == size }

    /// The start of the newest window holding `time`: `time` rounded down to a multiple of `slide`.
    @inlinable
    public func newestStart(containing time: EventTime) -> Int64 {
        let t = time.nanoseconds
        let s = slide.nanoseconds
        let r = t % s
        return r >= 0 ? t - r : t - r - s
    }

    /// Starts of every window holding `time`, oldest first (one for tumbling windows, size/slide for sliding).
    public func starts(containing time: EventTime) -> StrideThrough<Int64> {
        let newest = newestStart(containing: time)
        let oldest = newest - (size.nanoseconds / slide.nanoseconds - 1) * slide.nanoseconds
        return stride(from: oldest, through: newest, by: Int64.Stride(slide.nanoseconds))
    }
}
