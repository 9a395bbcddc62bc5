import DriftRecords
import DriftTestSupport
import Foundation
import Testing

/// The tape parser against Foundation's JSONSerialization, the independent reference.
@Suite struct JSONTapeTests {
    func parse(_ text: String) -> (tape: JSONTape, error: JSONTape.ParseError?) {
        var tape = JSONTape()
        var error: JSONTape.ParseError?
        Array(text.utf8).withUnsafeBytes { bytes in
            do { try tape.parse(bytes) } catch let e { error = e as? JSONTape.ParseError }
        }
        return (tape, error)
    }

    func foundationAccepts(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }

    static let valid = [
        #"{}"#, #"[]"#, #"{"a":1}"#, #" { "a" : [1, 2.5, -3e2, true, false, null, "x", {"b": {}}] } "#,
        #""é\u00e9\ud83d\ude00\n\t\"\\\/""#, "0", "-0", "1E+2", "12345678901234567890123", #"{"":""}"#,
        #"{"a":{"b":{"c":[[[]]]}}}"#,
    ]
    static let invalid = [
        "", "{", "}", #"{"a"}"#, #"{"a":}"#, "01", "1.", ".5", "-", "+1", "1e", "tru", "nul",
        #""\x""#, #""\u12""#, "\"a\u{01}b\"", #"{"a":1}x"#, #"{"a" 1}"#, "[1 2]", #"{1:2}"#, #""unterminated"#,
    ]

    @Test(arguments: valid)
    func acceptsWhatFoundationAccepts(_ text: String) {
        #expect(foundationAccepts(text))
        #expect(parse(text).error == nil)
    }

    @Test(arguments: invalid)
    func rejectsWhatFoundationRejects(_ text: String) {
        #expect(!foundationAccepts(text))
        #expect(parse(text).error != nil)
    }

    /// RFC 8259 has no trailing commas; Foundation accepts them, driftd (like Python's json) does not.
    @Test(arguments: [#"{"a":1,}"#, "[1,]"])
    func rejectsTrailingCommas(_ text: String) {
        #expect(parse(text).error != nil)
    }

    @Test func acceptsPythonsNonFiniteLiterals() {
        let (tape, error) = parse(#"[NaN, Infinity, -Infinity]"#)
        #expect(error == nil)
        #expect(tape[1].number.isNaN)
        #expect(tape[2].number == .infinity)
        #expect(tape[3].number == -.infinity)
    }

    @Test func rejectsNestingDeeperThanTheLimit() {
        let deep =
            String(repeating: "[", count: JSONTape.maxDepth + 1) + String(repeating: "]", count: JSONTape.maxDepth + 1)
        let ok = String(repeating: "[", count: JSONTape.maxDepth) + String(repeating: "]", count: JSONTape.maxDepth)
        #expect(parse(deep).error != nil)
        #expect(parse(ok).error == nil)
    }

    /// Numbers must come out as the correctly rounded doubles: the same as Swift's `Double(String)` and Python's
    /// `float`. (Not as Foundation's JSONSerialization on Linux, which misrounds about half of all decimals with
    /// 17 or more significant digits: it reads 0.30000000000000004 as 0.3000000000000001.)
    @Test func numbersAreCorrectlyRoundedDoubles() throws {
        var rng = SeededGenerator(seed: 0x5EED)  // fixed: a failure replays
        var texts = [
            "0.1", "0.2", "0.30000000000000004", "1e22", "1e23", "9007199254740993", "123456789012345678",
            "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "0.000001", "1234.5678",
            "3.14159265358979323846264338327950288", "100000000000000000000000000000", "5e-324", "1e-7", "0", "1e400",
        ]
        for _ in 0..<5000 {
            let mantissa = UInt64.random(in: 0...UInt64(1) << 62, using: &rng)
            let scale = Int.random(in: -40...40, using: &rng)
            let digits = String(mantissa)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: texts.append(digits)
            case 1: texts.append("\(digits)e\(scale)")
            default:
                let cut = Int.random(in: 1...digits.count, using: &rng)
                texts.append(
                    String(digits.prefix(cut)) + "." + (digits.count > cut ? String(digits.dropFirst(cut)) : "0"))
            }
        }
        // What Python's json.dumps writes: the shortest text that reads back, 17 digits for most doubles (outside
        // Clinger's fast path), at every scale; and ties between two doubles, which round to even.
        for _ in 0..<5000 {
            let x = Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &rng))
            texts.append("\(x)")
            texts.append("\(Double.random(in: 0..<1, using: &rng))")
            let tie = (UInt64.random(in: 1 << 53..<1 << 54, using: &rng) | 1) << UInt64.random(in: 0...10, using: &rng)
            texts.append("\(tie)")
        }
        for text in texts {
            let reference = try #require(Double(text))
            let (tape, error) = parse("[\(text), -\(text)]")
            #expect(error == nil, "\(text)")
            #expect(tape[1].number == reference, "\(text)")
            #expect(tape[2].number == -reference, "-\(text)")
        }
    }

    @Test func stringsDecodeAsFoundationDecodesThem() throws {
        let texts = [
            #"plain"#, #"caf\u00e9"#, #"\ud83d\ude00 smile"#, #"tab\tnew\nline"#, #"quote\" slash\/ back\\"#, "ünïcödé",
        ]
        for t in texts {
            let json = "[\"\(t)\"]"
            let reference = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String])
            let (tape, error) = parse(json)
            #expect(error == nil)
            let bytes = Array(json.utf8)
            let decoded = bytes.withUnsafeBytes { tape.string(at: 1, in: $0) }
            #expect(decoded == reference[0])
        }
    }

    /// One tape is reused line after line, and its room for tokens grows when a text needs more (it parses the
    /// text again): every text's tokens are its own, whatever came before.
    @Test func aReusedTapeHoldsEachTextsTokensOnly() throws {
        var tape = JSONTape()
        func parse(_ text: String) throws {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBytes { try tape.parse($0) }
        }
        let long = "[" + (0..<1000).map(String.init).joined(separator: ",") + "]"
        for text in ["[1,2]", long, "{\"a\":true}", long] {
            try parse(text)
            let reference = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSObject)
            if let array = reference as? [Int] {
                #expect(tape.count == array.count + 1)
                #expect(tape.tokens.dropFirst().map(\.number) == array.map(Double.init))
                #expect(tape.next(after: 0) == tape.count)
            } else {
                #expect(tape.count == 3 && tape[2].kind == .true)
            }
        }
        #expect(throws: JSONTape.ParseError.self) { try parse("[1,2,]") }
        try parse("[7]")
        #expect(tape.count == 2 && tape[1].number == 7)
    }

    @Test func containersKnowWhereTheyEnd() {
        let text = #"{"a":[1,[2,3],{"b":4}],"c":"d"}"#
        let (tape, _) = parse(text)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { b in
            let c = Array("c".utf8).withUnsafeBytes { tape.member($0, ofObjectAt: 0, in: b) }
            #expect(c.map { tape.string(at: $0, in: b) } == "d")
            #expect(
                Array("b".utf8).withUnsafeBytes { tape.member($0, ofObjectAt: 0, in: b) } == nil,
                "nested keys are not members")
        }
    }

    /// A short run of the differential test (`swift run -c release json-fuzz 600` runs it for ten minutes).
    @Test func randomAndMutatedTextsAgreeWithFoundation() {
        var differential = JSONDifferential(seed: 2026)
        for _ in 0..<400 { differential.round() }
        #expect(differential.checked == 3600)
        #expect(differential.accepted > 500, "the generator makes valid documents too")
        #expect(differential.disagreements.isEmpty, "\(differential.disagreements.prefix(5))")
    }

    /// Strings are scanned eight bytes at a time: a quote, a backslash or a control character must be found at
    /// every position of a word, and bytes above 0x7F must not be mistaken for one.
    @Test func everyPositionOfASpecialByteIsFound() throws {
        for length in 0..<40 {
            for position in 0..<max(1, length) {
                var body = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if length > 0 { body[position] = 0xC3 }  // a lead byte, no special byte
                var tape = JSONTape()
                let plain = [0x22] + body + [0x22]
                try plain.withUnsafeBytes { try tape.parse($0) }
                #expect(tape[0].kind == .string && Int(tape[0].end - tape[0].start) == length)
                guard length > 0 else { continue }
                for special: UInt8 in [0x00, 0x0A, 0x1F] {
                    body[position] = special
                    let text = [0x22] + body + [0x22]
                    #expect(throws: JSONTape.ParseError.self, "control byte \(special) at \(position) of \(length)") {
                        try text.withUnsafeBytes { try tape.parse($0) }
                    }
                }
                body[position] = UInt8(ascii: "\"")  // ends the string early: the rest is unexpected text
                #expect(throws: JSONTape.ParseError.self) {
                    try ([0x22] + body + [0x22]).withUnsafeBytes { try tape.parse($0) }
                }
                body[position] = UInt8(ascii: "\\")  // an invalid escape unless followed by a valid one
                let escaped = [0x22] + body[..<position] + Array(#"\n"#.utf8) + body[(position + 1)...] + [0x22]
                try escaped.withUnsafeBytes { try tape.parse($0) }
                #expect(tape[0].escaped && Int(tape[0].end - tape[0].start) == length + 1)
            }
        }
    }

    /// Digits are scanned eight bytes at a time: every byte next to the digit range (and above 0x7F), at every
    /// position of long numbers, is judged as Foundation judges it, and accepted numbers read the same.
    @Test func numbersWithEveryOddByteAtEveryPositionMatchFoundation() {
        var differential = JSONDifferential(seed: 3)
        for length in 1..<26 {
            let digits = (0..<length).map { UInt8(ascii: "1") + UInt8($0 % 9) }
            for position in 0..<length {
                for odd: UInt8 in [0x2F, 0x3A, 0x2E, 0x65, 0x2D, 0x20, 0x80, 0xB9, 0xBA, 0xFF] {
                    var number = digits
                    number[position] = odd
                    differential.check(Array("[".utf8) + number + Array("]".utf8))
                    differential.check(Array("[0.".utf8) + number + Array("]".utf8))
                }
            }
            differential.check(Array("[".utf8) + digits + Array(".".utf8) + digits + Array("e-7]".utf8))
        }
        #expect(differential.disagreements.isEmpty, "\(differential.disagreements.prefix(3))")
        #expect(differential.checked > 5_000 && differential.accepted > 100)
    }
}
