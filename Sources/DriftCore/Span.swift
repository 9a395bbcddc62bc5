/// A length of time, in nanoseconds, as written in configs: `30s`, `5m`, `1h`, `1h30m`, `250ms`.
public struct Span: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static func seconds(_ s: Int64) -> Span { Span(nanoseconds: s * 1_000_000_000) }
    public static func milliseconds(_ ms: Int64) -> Span { Span(nanoseconds: ms * 1_000_000) }
    public static let zero = Span(nanoseconds: 0)

    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (lhs: Span, rhs: Span) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    private static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
        ("s", 1_000_000_000), ("ms", 1_000_000),
    ]

    /// Parses `5m`, `1h30m`, `90s`, `250ms`, `2d`. Returns nil for anything else (no bare numbers:
    /// a unit is always required so that `5` cannot silently mean seconds to one reader and minutes to another).
    public init?(parsing text: String) {
        var total: Int64 = 0
        var bytes = Substring(text.trimmingSpaces())[...]
        guard !bytes.isEmpty else { return nil }
        while !bytes.isEmpty {
            let digits = bytes.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            bytes = bytes.dropFirst(digits.count)
            let letters = bytes.prefix { $0.isASCII && $0.isLetter }
            guard let unit = Span.units.first(where: { $0.suffix == letters }) else { return nil }
            bytes = bytes.dropFirst(letters.count)
            let (product, overflow) = value.multipliedReportingOverflow(by: unit.nanoseconds)
            guard !overflow else { return nil }
            let (sum, overflowed) = total.addingReportingOverflow(product)
            guard !overflowed else { return nil }
            total = sum
        }
        self.nanoseconds = total
    }

    /// The shortest config spelling: `5m`, `1h`, `1h30m`, `250ms`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        var rest = nanoseconds
        var out = rest < 0 ? "-" : ""
        rest = abs(rest)
        for unit in Span.units where rest >= unit.nanoseconds {
            out += "\(rest / unit.nanoseconds)\(unit.suffix)"
            rest %= unit.nanoseconds
        }
        if rest > 0 { out += "\(rest)ns" }
        return out
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
