import DriftCore

/// `schema.timestamp_format`: a strftime pattern for timestamps that are not RFC 3339 (`%d/%b/%Y:%H:%M:%S %z`, as
/// web servers write; `%Y-%m-%d %H:%M:%S,%f`, as Python's logging does). Compiled once, then read like
/// `strptime`, without locale or allocation. Pure.
public struct TimestampFormat: Hashable, Sendable {
    /// One step of the pattern.
    enum Piece: Hashable, Sendable {
        case literal(UInt8)
        /// One or more spaces or tabs (a space in the pattern, as strptime reads it).
        case space
        /// A number of `digits` digits at most (at least one; `exact`: exactly that many).
        case number(Field, digits: Int, exact: Bool)
        case fraction
        case offset
        case monthName
        case weekdayName
        case amPM
        case epochSeconds
    }

    enum Field: Hashable, Sendable {
        case year, year2, month, day, hour, hour12, minute, second, dayOfYear
    }

    /// Why a pattern is refused.
    public struct PatternError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    let pieces: [Piece]
    /// The pattern as written.
    public let pattern: String
    /// Whether a time read with it carries its offset (`%z`, `%s`): otherwise it is a local time (``ParsedTime/naive``).
    public let hasOffset: Bool

    /// Directives: `%Y` `%y` `%m` `%d` `%e` `%j` `%H` `%I` `%p` `%M` `%S` `%f` (1–9 fraction digits) `%z` (`Z`,
    /// `+01:00`, `+0100`) `%b`/`%B` (English month names) `%a`/`%A` (weekday names, read and ignored) `%s` (epoch
    /// seconds) `%T` (`%H:%M:%S`) `%F` (`%Y-%m-%d`) `%%`.
    public init(_ pattern: String) throws(PatternError) {
        self.pattern = pattern
        var pieces: [Piece] = []
        var bytes = Array(pattern.utf8)[...]
        while let c = bytes.popFirst() {
            if c == UInt8(ascii: " ") {
                if pieces.last != .space { pieces.append(.space) }
                continue
            }
            guard c == UInt8(ascii: "%") else {
                pieces.append(.literal(c))
                continue
            }
            guard let d = bytes.popFirst() else { throw PatternError(description: "the pattern ends with a lone %") }
            switch UInt8(d) {
            case UInt8(ascii: "Y"): pieces.append(.number(.year, digits: 4, exact: true))
            case UInt8(ascii: "y"): pieces.append(.number(.year2, digits: 2, exact: true))
            case UInt8(ascii: "m"): pieces.append(.number(.month, digits: 2, exact: false))
            case UInt8(ascii: "d"), UInt8(ascii: "e"): pieces.append(.number(.day, digits: 2, exact: false))
            case UInt8(ascii: "j"): pieces.append(.number(.dayOfYear, digits: 3, exact: false))
            case UInt8(ascii: "H"): pieces.append(.number(.hour, digits: 2, exact: false))
            case UInt8(ascii: "I"): pieces.append(.number(.hour12, digits: 2, exact: false))
            case UInt8(ascii: "M"): pieces.append(.number(.minute, digits: 2, exact: false))
            case UInt8(ascii: "S"): pieces.append(.number(.second, digits: 2, exact: false))
            case UInt8(ascii: "f"): pieces.append(.fraction)
            case UInt8(ascii: "z"): pieces.append(.offset)
            case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "h"): pieces.append(.monthName)
            case UInt8(ascii: "a"), UInt8(ascii: "A"): pieces.append(.weekdayName)
            case UInt8(ascii: "p"): pieces.append(.amPM)
            case UInt8(ascii: "s"): pieces.append(.epochSeconds)
            case UInt8(ascii: "T"):
                pieces += [
                    .number(.hour, digits: 2, exact: false), .literal(UInt8(ascii: ":")),
                    .number(.minute, digits: 2, exact: false), .literal(UInt8(ascii: ":")),
                    .number(.second, digits: 2, exact: false),
                ]
            case UInt8(ascii: "F"):
                pieces += [
                    .number(.year, digits: 4, exact: true), .literal(UInt8(ascii: "-")),
                    .number(.month, digits: 2, exact: false), .literal(UInt8(ascii: "-")),
                    .number(.day, digits: 2, exact: false),
                ]
            case UInt8(ascii: "%"): pieces.append(.literal(UInt8(ascii: "%")))
            default:
                throw PatternError(
                    description: "%\(Character(Unicode.Scalar(d))) is not a directive driftd reads; use %Y %y %m %d %e "
                        + "%j %H %I %p %M %S %f %z %b %B %a %A %s %T %F or %%")
            }
        }
        let fields = Set(pieces.compactMap { if case .number(let f, _, _) = $0 { f } else { nil } })
        let epoch = pieces.contains(.epochSeconds)
        guard
            epoch
                || ((fields.contains(.year) || fields.contains(.year2))
                    && (fields.contains(.dayOfYear) || (fields.contains(.month) || pieces.contains(.monthName))))
        else {
            throw PatternError(
                description:
                    "the pattern names no full date: it needs a year (%Y) and a month (%m) or a day of the year (%j), or %s"
            )
        }
        if fields.contains(.hour12) != pieces.contains(.amPM) {
            throw PatternError(description: "%I and %p go together (a 12-hour clock needs AM or PM)")
        }
        self.pieces = pieces
        hasOffset = epoch || pieces.contains(.offset)
    }
}
