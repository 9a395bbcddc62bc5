import DriftCore
import Foundation
import Testing

/// Strings written by `JSONWriter` read back, through Foundation, as the strings written: plain ones (copied whole)
/// and ones with quotes, backslashes, control characters and non-ASCII text (escaped byte by byte).
@Suite struct JSONWriterTests {
    @Test func everyStringReadsBackAsWritten() throws {
        var texts = ["", "plain", "café ✓ 😀", "say \"hi\"", "back\\slash", "tab\tnew\nline\r", "m4-v2.1/x"]
        texts += (0..<0x20).map { "a\(Character(Unicode.Scalar(UInt8($0))))b" }
        for text in texts {
            var w = JSONWriter()
            w.beginObject()
            w.field("v", text)
            w.endObject()
            let object = try #require(JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: String])
            #expect(object["v"] == text, "\(text.debugDescription)")
        }
    }

    /// Integers are written as `String(value)` writes them, and numbers as `description` does (the shortest text
    /// that reads back to the same double), over the whole range: both are written without making those Strings.
    @Test func numbersAreWrittenAsTheStandardLibraryWritesThem() throws {
        var rng = SplitMix64(seed: 3)
        var ints: [Int] = [0, 1, -1, 9, 10, -10, 99, 100, .max, .min, .max - 1, .min + 1]
        var doubles: [Double] = [
            0, -0.0, 1, -1, 0.1, 1e-7, 1e16, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 19, 0.21863797480360336,
        ]
        for shift in stride(from: 0, to: 64, by: 3) {
            let r = Int(bitPattern: UInt(rng.next()))
            ints += [r >> shift, -(r >> shift) / 2]
        }
        for _ in 0..<500 {
            let bits = Double(bitPattern: rng.next())
            if bits.isFinite { doubles.append(bits) }
            doubles.append(Double(rng.next() % 1_000_000) / 100)
        }
        for value in ints {
            var w = JSONWriter()
            w.beginObject()
            w.field("n", value)
            w.beginArray("a")
            w.element(value)
            w.endArray()
            w.endObject()
            #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"n":\#(String(value)),"a":[\#(String(value))]}"#)
        }
        for value in doubles {
            var w = JSONWriter()
            w.beginObject()
            w.field("x", value)
            w.endObject()
            #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"x":\#(value.description)}"#)
        }
    }

    /// Members named by a ``JSONKey`` (encoded once) are the bytes members named by a String give, escapes and
    /// commas included.
    @Test func keysEncodedOnceWriteWhatNamesWrite() {
        for name in ["count", "p50", "", "say \"hi\"", "tab\t", "café ✓"] {
            let key = JSONKey(name)
            var byName = JSONWriter()
            var byKey = JSONWriter()
            byName.beginObject()
            byKey.beginObject()
            byName.field(name, 7)
            byKey.field(key, 7)
            byName.field(name, 0.5)
            byKey.field(key, 0.5)
            byName.field(name, Double.nan)
            byKey.field(key, Double.nan)
            byName.field(name, "v")
            byKey.field(key, "v")
            byName.beginArray(name)
            byKey.beginArray(key)
            byName.element(-3)
            byKey.element(-3)
            byName.endArray()
            byKey.endArray()
            byName.endObject()
            byKey.endObject()
            #expect(byKey.bytes == byName.bytes, "\(name.debugDescription)")
        }
    }

    /// Commas at every level of nesting, a writer grown far past its first capacity, and copies: a writer is a
    /// value, so a copy keeps what it had when the other goes on.
    @Test func nestedMembersGrowthAndCopies() throws {
        var w = JSONWriter(capacity: 1)
        w.beginRootArray()
        for i in 0..<300 {
            w.beginObject()
            w.field("i", i)
            w.beginArray("a")
            for j in 0..<i % 4 { w.element("\(j)") }
            w.endArray()
            w.beginObject("o")
            w.field("x", Double(i) / 4)
            w.fieldNull("n")
            w.endObject()
            w.endObject()
        }
        var copy = w
        w.endArray()
        let array = try #require(JSONSerialization.jsonObject(with: Data(w.bytes)) as? [[String: Any]])
        #expect(array.count == 300)
        #expect(array.map { $0["i"] as? Int } == (0..<300).map { $0 })
        #expect(array.map { ($0["a"] as? [String])?.count } == (0..<300).map { $0 % 4 })
        #expect((array[7]["o"] as? [String: Any])?["x"] as? Double == 1.75)
        #expect(copy.bytes.count == w.bytes.count - 1, "the copy has no closing bracket")
        copy.element(1)
        copy.endArray()
        #expect(String(decoding: copy.bytes.suffix(5), as: UTF8.self) == "}},1]")
        #expect(w.bytes.last == UInt8(ascii: "]") && w.bytes.count == copy.bytes.count - 2)
    }
}
