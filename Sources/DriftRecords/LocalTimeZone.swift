import DriftCore
import Foundation

/// The zone that timestamps without an offset were written in (`schema.timezone`): a fixed offset (`UTC`, `Z`,
/// `+01:00`, `-05:30`) or an IANA zone name (`Europe/Paris`), whose offset follows daylight saving time.
///
/// Python's `datetime.utcnow().isoformat()` and many loggers write local or UTC times with no offset; without this
/// setting such a line is rejected with a message that says what to write instead.
public struct LocalTimeZone: Hashable, Sendable {
    /// The text it was made from, for messages and the config's round trip.
    public let name: String
    private let fixed: Int64?
    private let zone: TimeZone?

    /// Nil when `text` is neither an offset nor a zone name the system knows.
    public init?(_ text: String) {
        name = text
        if text == "UTC" || text == "Z" || text == "z" {
            (fixed, zone) = (0, nil)
        } else if let offset = Self.offset(text) {
            (fixed, zone) = (offset, nil)
        } else if text.contains("/"), let zone = TimeZone(identifier: text) {
            (fixed, self.zone) = (nil, zone)
        } else {
            return nil
        }
    }

    /// `+HH:MM` or `-HH:MM` in seconds east of UTC.
    private static func offset(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 6, b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-"), b[3] == UInt8(ascii: ":"),
            let h = Int64(String(decoding: b[1..<3], as: UTF8.self)),
            let m = Int64(String(decoding: b[4..<6], as: UTF8.self)), h < 24, m < 60
        else { return nil }
        return (b[0] == UInt8(ascii: "-") ? -1 : 1) * (h * 3600 + m * 60)
    }

    /// The offset east of UTC in force at the local time `local` (given as if it were UTC), in seconds. Around a
    /// change of offset, a local time that happens twice (clocks going back) is read as its first occurrence, and
    /// one that never happens (clocks going forward) with the offset before the change, which moves it forward by
    /// the gap: as Python's `zoneinfo` (fold 0) and `java.time` read them.
    public func offset(atLocal local: EventTime) -> Int64 {
        if let fixed { return fixed }
        guard let zone else { return 0 }
        let seconds = local.nanoseconds / 1_000_000_000
        func at(_ s: Int64) -> Int64 { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(s)))) }
        let before = at(seconds - 86_400)
        let after = at(seconds + 86_400)
        if before == after { return before }
        let beforeFits = at(seconds - before) == before
        let afterFits = at(seconds - after) == after
        if beforeFits && afterFits { return max(before, after) }  // twice: the earlier instant
        if afterFits { return after }
        return before  // once, or never (the gap)
    }

    /// The UTC time of the local time `local` (given as if it were UTC).
    public func utc(fromLocal local: EventTime) -> EventTime {
        EventTime(nanoseconds: local.nanoseconds - offset(atLocal: local) * 1_000_000_000)
    }
}
