/// A point in event time: nanoseconds since the Unix epoch, UTC.
///
/// Integer nanoseconds keep window arithmetic exact (no floating-point boundaries) and cover
/// the years 1678–2262, which is every timestamp a prediction log can sensibly carry.
public struct EventTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public init(seconds: Int64) {
        self.nanoseconds = seconds * 1_000_000_000
    }

    public static func < (lhs: EventTime, rhs: EventTime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public static func + (lhs: EventTime, rhs: Span) -> EventTime {
        EventTime(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds)
    }

    public static func - (lhs: EventTime, rhs: Span) -> EventTime {
        EventTime(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds)
    }

    public var description: String { rfc3339 }
}
