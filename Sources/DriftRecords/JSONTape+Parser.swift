#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fills a ``JSONTape``'s tokens from one text (strict RFC 8259, nesting at most ``JSONTape/maxDepth``): the parsing
/// half of the tape, apart so that the tape's own file stays about what a tape is.
struct JSONTapeParser {
    let text: UnsafeRawBufferPointer
    let tokens: UnsafeMutablePointer<JSONTape.Token>
    let capacity: Int
    var count = 0
    var pos = 0
    /// The offset of the error thrown when the tokens fill the room given.
    static let outOfRoom = -1

    init(text: UnsafeRawBufferPointer, tokens: UnsafeMutablePointer<JSONTape.Token>, capacity: Int) {
        self.text = text
        self.tokens = tokens
        self.capacity = capacity
    }

    @inline(__always) mutating func append(_ token: JSONTape.Token) throws(JSONTape.ParseError) {
        guard count < capacity else { throw .init(offset: Self.outOfRoom, reason: "out of room for tokens") }
        tokens[count] = token
        count += 1
    }

    func fail(_ reason: String) -> JSONTape.ParseError { .init(offset: pos, reason: reason) }

    mutating func skipSpace() {
        while pos < text.count {
            let c = text[pos]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            pos += 1
        }
    }

    mutating func value(depth: Int) throws(JSONTape.ParseError) {
        guard pos < text.count else { throw fail("unexpected end of text") }
        switch text[pos] {
        case UInt8(ascii: "{"): try object(depth: depth + 1)
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "\""):
            let (start, end, escaped) = try string()
            try append(.init(kind: .string, escaped: escaped, start: start, end: end, number: 0))
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        case UInt8(ascii: "N"): try literal("NaN", .number, .nan)
        case UInt8(ascii: "I"): try literal("Infinity", .number, .infinity)
        default: try number()
        }
    }

    mutating func literal(_ word: StaticString, _ kind: JSONTape.Kind, _ number: Double = 0)
        throws(JSONTape.ParseError)
    {
        let n = word.utf8CodeUnitCount
        guard pos + n <= text.count else { throw fail("invalid literal") }
        for i in 0..<n where text[pos + i] != word.utf8Start[i] { throw fail("invalid literal") }
        try append(.init(kind: kind, escaped: false, start: Int32(pos), end: Int32(pos + n), number: number))
        pos += n
    }

    mutating func object(depth: Int) throws(JSONTape.ParseError) {
        guard depth <= JSONTape.maxDepth else { throw fail("nesting deeper than \(JSONTape.maxDepth)") }
        let index = count
        try append(.init(kind: .object, escaped: false, start: Int32(pos), end: 0, number: 0))
        pos += 1
        skipSpace()
        if pos < text.count && text[pos] == UInt8(ascii: "}") {
            pos += 1
        } else {
            while true {
                guard pos < text.count, text[pos] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let (start, end, escaped) = try string()
                try append(.init(kind: .string, escaped: escaped, start: start, end: end, number: 0))
                skipSpace()
                guard pos < text.count, text[pos] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                pos += 1
                skipSpace()
                try value(depth: depth)
                skipSpace()
                guard pos < text.count else { throw fail("unterminated object") }
                if text[pos] == UInt8(ascii: ",") {
                    pos += 1
                    skipSpace()
                } else if text[pos] == UInt8(ascii: "}") {
                    pos += 1
                    break
                } else {
                    throw fail("expected ',' or '}'")
                }
            }
        }
        tokens[index].end = Int32(count)
    }

    mutating func array(depth: Int) throws(JSONTape.ParseError) {
        guard depth <= JSONTape.maxDepth else { throw fail("nesting deeper than \(JSONTape.maxDepth)") }
        let index = count
        try append(.init(kind: .array, escaped: false, start: Int32(pos), end: 0, number: 0))
        pos += 1
        skipSpace()
        if pos < text.count && text[pos] == UInt8(ascii: "]") {
            pos += 1
        } else {
            while true {
                try value(depth: depth)
                skipSpace()
                guard pos < text.count else { throw fail("unterminated array") }
                if text[pos] == UInt8(ascii: ",") {
                    pos += 1
                    skipSpace()
                } else if text[pos] == UInt8(ascii: "]") {
                    pos += 1
                    break
                } else {
                    throw fail("expected ',' or ']'")
                }
            }
        }
        tokens[index].end = Int32(count)
    }

    /// Scans a string starting at its opening quote; returns the range inside the quotes.
    mutating func string() throws(JSONTape.ParseError) -> (Int32, Int32, Bool) {
        pos += 1
        let start = pos
        var escaped = false
        // Up to the first quote, backslash or control character a word at a time; then byte by byte from there
        // (usually just the closing quote).
        skipWords(until: Self.specialBytes)
        while pos < text.count {
            let c = text[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return (Int32(start), Int32(pos - 1), escaped)
            } else if c == UInt8(ascii: "\\") {
                escaped = true
                pos += 1
                guard pos < text.count else { break }
                switch text[pos] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    pos += 1
                case UInt8(ascii: "u"):
                    guard pos + 4 < text.count else { throw fail("truncated \\u escape") }
                    for i in 1...4 where hexValue(text[pos + i]) == nil { throw fail("invalid \\u escape") }
                    pos += 5
                default:
                    throw fail("invalid escape")
                }
            } else if c < 0x20 {
                throw fail("control character in string")
            } else {
                pos += 1
            }
        }
        throw fail("unterminated string")
    }

    /// The high bit of each of the eight bytes of `v` (little-endian) that is `"`, `\` or below 0x20, by the
    /// classic SWAR tests for a zero byte and for a byte below n. A borrow can mark a byte above a true match, never
    /// below one: the lowest mark is exact, and zero means none.
    @inline(__always) static func specialBytes(_ v: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = v ^ (ones &* 0x22)
        let backslash = v ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let belowSpace = (v &- ones &* 0x20) & ~v
        return (zeroInQuote | zeroInBackslash | belowSpace) & highs
    }

    /// The high bit of each byte of `v` that is not an ASCII digit; the lowest mark is exact (as in
    /// ``specialBytes(_:)``).
    @inline(__always) static func nonDigitBytes(_ v: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let belowZero = v &- ones &* 0x30  // a byte under '0' borrows into its high bit
        let aboveNine = v &+ ones &* 0x46  // a byte over '9' carries into its high bit
        return (belowZero | aboveNine | v) & 0x8080_8080_8080_8080  // `| v`: any byte over 0x7F, plainly
    }

    /// Moves `pos` eight bytes at a time to the first byte that `marks` flags (its lowest mark is exact), or to
    /// where fewer than eight bytes are left.
    /// - Returns: true when it stopped at a flagged byte.
    @inline(__always) @discardableResult
    mutating func skipWords(until marks: (UInt64) -> UInt64) -> Bool {
        while pos + 8 <= text.count {
            let flagged = marks(text.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
            if flagged != 0 {
                pos += flagged.trailingZeroBitCount >> 3
                return true
            }
            pos += 8
        }
        return false
    }

    /// Moves `pos` past a run of digits.
    @inline(__always) mutating func skipDigits() {
        if skipWords(until: Self.nonDigitBytes) { return }
        while pos < text.count, isDigit(text[pos]) { pos += 1 }
    }

    mutating func number() throws(JSONTape.ParseError) {
        let start = pos
        var negative = false
        if text[pos] == UInt8(ascii: "-") {
            negative = true
            pos += 1
            if pos < text.count && text[pos] == UInt8(ascii: "I") {
                try literal("Infinity", .number, -.infinity)
                tokens[count - 1].start = Int32(start)
                return
            }
        }
        // Scan first, then convert: the digits of a number that fits the fast path are read in one tight loop.
        let intStart = pos
        skipDigits()
        let intEnd = pos
        guard intEnd > intStart else { throw fail("invalid value") }
        guard !(intEnd - intStart > 1 && text[intStart] == UInt8(ascii: "0")) else {
            throw fail("leading zero in number")
        }
        var fracStart = pos
        var fracEnd = pos
        if pos < text.count && text[pos] == UInt8(ascii: ".") {
            pos += 1
            fracStart = pos
            skipDigits()
            fracEnd = pos
            guard fracEnd > fracStart else { throw fail("digits expected after '.'") }
        }
        var exponent = 0
        if pos < text.count && (text[pos] == UInt8(ascii: "e") || text[pos] == UInt8(ascii: "E")) {
            pos += 1
            var expNegative = false
            if pos < text.count && (text[pos] == UInt8(ascii: "+") || text[pos] == UInt8(ascii: "-")) {
                expNegative = text[pos] == UInt8(ascii: "-")
                pos += 1
            }
            let expStart = pos
            var e = 0
            while pos < text.count, isDigit(text[pos]) {
                if e < 100_000 { e = e * 10 + Int(text[pos] - 0x30) }
                pos += 1
            }
            guard pos > expStart else { throw fail("digits expected in exponent") }
            exponent = expNegative ? -e : e
        }
        // Up to 19 digits, leading zeros included, always fit in 64 bits: the mantissa is exact.
        let exact = (intEnd - intStart) + (fracEnd - fracStart) <= 19
        var mantissa: UInt64 = 0
        if exact {
            for i in intStart..<intEnd { mantissa = mantissa &* 10 &+ UInt64(text[i] &- 0x30) }
            for i in fracStart..<fracEnd { mantissa = mantissa &* 10 &+ UInt64(text[i] &- 0x30) }
            exponent -= fracEnd - fracStart
        }
        let value: Double
        if exact && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            // Clinger's fast path: both operands are exact doubles, so one rounding gives the correct result.
            let m = Double(mantissa)
            value = exponent < 0 ? m / powersOfTen[-exponent] : m * powersOfTen[exponent]
        } else if exact, let converted = Self.eiselLemire(mantissa, exponent) {
            value = converted
        } else {
            value = slowParse(start, pos)
        }
        try append(
            .init(
                kind: .number, escaped: false, start: Int32(start), end: Int32(pos),
                number: negative ? -value : value))
    }

    /// Correctly rounded conversion through the C library, for numbers outside the fast path. Returns the
    /// magnitude; the caller applies the sign.
    func slowParse(_ start: Int, _ end: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: end - start + 1) { buf in
            var n = 0
            let digitsStart = text[start] == UInt8(ascii: "-") ? start + 1 : start  // the sign is applied by the caller
            for i in digitsStart..<end {
                buf[n] = CChar(bitPattern: text[i])
                n += 1
            }
            buf[n] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }
}

@inline(__always) private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
