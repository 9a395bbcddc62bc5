/// A point in event time: nanoseconds since the Unix epoch, UTC.
///
/// Integer nanoseconds keep window arithmetic exact (no floating-point boundaries). Event times are accepted in
/// ``representable`` — 1678-01-01 to the end of 2261 — which leaves about 100 days of room on either side of
/// `Int64`, so that a window's end (spans are capped at ``maxSpan``) and a watermark can never overflow.
public struct EventTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public init(seconds: Int64) {
        self.nanoseconds = seconds * 1_000_000_000
    }

    /// 1678-01-01T00:00:00Z, the earliest event time driftd takes.
    public static let earliest = EventTime(nanoseconds: -106_650 * 86_400 * 1_000_000_000)
    /// 2262-01-01T00:00:00Z: event times must be before it.
    public static let end = EventTime(nanoseconds: 106_651 * 86_400 * 1_000_000_000)
    /// The event times records may carry: anything else is rejected (`out_of_range`), never a crash.
    public static let representable = earliest..<end
    /// The longest window size, slide or lateness the config accepts (100 days): with event times in
    /// ``representable``, `time ± maxSpan` stays inside `Int64`.
    public static let maxSpan = Span(nanoseconds: 100 * 86_400 * 1_000_000_000)

    public var isRepresentable: Bool { Self.representable.contains(self) }

    public static func < (lhs: EventTime, rhs: EventTime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// Saturating: a restored checkpoint or a hostile input can never make it trap.
    public static func + (lhs: EventTime, rhs: Span) -> EventTime {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanoseconds)
        return EventTime(nanoseconds: overflow ? (rhs.nanoseconds > 0 ? .max : .min) : sum)
    }

    /// Saturating, like `+`.
    public static func - (lhs: EventTime, rhs: Span) -> EventTime {
        let (difference, overflow) = lhs.nanoseconds.subtractingReportingOverflow(rhs.nanoseconds)
        return EventTime(nanoseconds: overflow ? (rhs.nanoseconds > 0 ? .min : .max) : difference)
    }

    public var description: String { rfc3339 }
}

/// What parsing a timestamp found: a usable time, a time outside ``EventTime/representable``, a date and time
/// without an offset, or no time.
public enum ParsedTime: Equatable, Sendable {
    case time(EventTime)
    case outOfRange
    /// An RFC 3339 date and time with no offset (Python's `datetime.utcnow().isoformat()`): a local time, given as
    /// if it were UTC. Usable only with the zone it was written in.
    case naive(EventTime)
    case invalid

    /// The time, when usable.
    public var time: EventTime? {
        if case .time(let t) = self { return t }
        return nil
    }
}
