import DriftRecords
import Testing

/// Names and keys are compared a word at a time with overlapping loads (`ShortBytes`): every length, and a
/// difference at every position, must still tell names apart.
@Suite struct NameInternerTests {
    static func name(_ length: Int) -> [UInt8] { (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) } }

    static func variants(_ length: Int) -> [[UInt8]] {
        var all: [[UInt8]] = [name(length) + [UInt8(ascii: "z")]]  // one longer
        if length > 0 { all.append(Array(name(length).dropLast())) }  // one shorter
        for position in 0..<length {
            var v = name(length)
            v[position] = UInt8(ascii: "Z")
            all.append(v)
        }
        return all
    }

    @Test func everyLengthAndEveryDifferingByteGiveAnotherID() {
        let prefix = Array("prediction.".utf8)
        for withPrefix in [false, true] {
            var interner = NameInterner()
            func id(_ key: [UInt8], hint: Int32 = -1) -> Int32 {
                key.withUnsafeBytes { k in
                    (withPrefix ? prefix : []).withUnsafeBytes { p in interner.id(k, prefix: p, hint: hint) }
                }
            }
            for length in 0...24 {
                let base = id(Self.name(length))
                #expect(
                    interner.names[Int(base)]
                        == String(decoding: (withPrefix ? prefix : []) + Self.name(length), as: UTF8.self))
                #expect(id(Self.name(length), hint: base) == base)
                #expect(id(Self.name(length)) == base)
                for variant in Self.variants(length) {
                    let other = id(variant, hint: base)  // the hint is wrong: the name must not match it
                    #expect(other != base, "length \(length), prefix \(withPrefix): \(variant)")
                    #expect(id(variant, hint: other) == other)
                    #expect(id(variant) == other)
                }
            }
        }
    }

    @Test func memberLookupTellsKeysApartAtEveryLengthAndPosition() throws {
        for length in 0...24 {
            let keys = [Self.name(length)] + Self.variants(length)
            // The looked-up key last, so that every other key is compared with it first.
            let members = keys.reversed().enumerated().map { "\"\(String(decoding: $1, as: UTF8.self))\":\($0)" }
            let text = Array("{\(members.joined(separator: ","))}".utf8)
            var tape = JSONTape()
            try text.withUnsafeBytes { line in
                try tape.parse(line)
                let found = Self.name(length).withUnsafeBytes { tape.member($0, ofObjectAt: 0, in: line) }
                let index = try #require(found, "length \(length)")
                #expect(tape[index].number == Double(keys.count - 1), "length \(length)")
            }
        }
    }
}
