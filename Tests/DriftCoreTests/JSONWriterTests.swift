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
}
