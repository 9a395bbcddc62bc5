#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parsed JSON text as a flat list of tokens (a "tape"), reused from line to line.
///
/// Parsing validates the whole text (RFC 8259, plus the `NaN`, `Infinity` and `-Infinity` literals that
/// Python's `json` module writes) but builds no dictionaries or strings: string tokens are byte ranges into the
/// line, decoded only when a value is used, and containers know where they end so that unused members are
/// skipped in O(1). One tape is kept per parsing thread and its storage reused.
public struct JSONTape: Sendable {
    public enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// One token. For containers `end` is the index of the token after the container; for strings and
    /// numbers `start..<end` is the byte range in the text (strings without their quotes).
    public struct Token: Sendable {
        public var kind: Kind
        /// A string containing backslash escapes (decode before comparing).
        public var escaped: Bool
        public var start: Int32
        public var end: Int32
        public var number: Double
    }

    /// Why a text is not accepted.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// The tokens of the last text parsed: the first `count` of `storage`. The storage only grows, and is filled
    /// through a pointer, one uniqueness check per text instead of one per token (an append each cost about 15% of
    /// the parsing).
    private var storage = [Token](repeating: Token(kind: .null, escaped: false, start: 0, end: 0, number: 0), count: 64)
    public private(set) var count = 0
    public var tokens: ArraySlice<Token> { storage[..<count] }
    public static let maxDepth = 64

    public init() {}

    /// Parses `text`, replacing the previous contents of the tape. The root is token 0.
    public mutating func parse(_ text: UnsafeRawBufferPointer) throws(ParseError) {
        while true {
            let outcome = storage.withUnsafeMutableBufferPointer { room -> (Int, ParseError?) in
                var parser = JSONTapeParser(text: text, tokens: room.baseAddress!, capacity: room.count)
                do throws(ParseError) {
                    parser.skipSpace()
                    try parser.value(depth: 0)
                    parser.skipSpace()
                    if parser.pos != text.count {
                        return (parser.count, ParseError(offset: parser.pos, reason: "unexpected text after the value"))
                    }
                    return (parser.count, nil)
                } catch {
                    return (parser.count, error)
                }
            }
            count = outcome.0
            guard let error = outcome.1 else { return }
            guard error.offset == JSONTapeParser.outOfRoom else { throw error }
            // More tokens than ever before: twice the room, and the text again.
            storage.append(contentsOf: storage)
        }
    }

    public subscript(index: Int) -> Token {
        precondition(index < count, "token index out of range")
        return storage[index]
    }

    /// The index of the token after the value at `index`.
    @inlinable
    public func next(after index: Int) -> Int {
        let token = self[index]
        switch token.kind {
        case .object, .array: return Int(token.end)
        default: return index + 1
        }
    }
}

func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case 0x30...0x39: return UInt32(c - 0x30)
    case 0x41...0x46: return UInt32(c - 0x41 + 10)
    case 0x61...0x66: return UInt32(c - 0x61 + 10)
    default: return nil
    }
}
