import DriftCore
import DriftRecords
import Testing

/// Nested objects in the features object become dotted names, `schema.flatten_depth` levels down.
@Suite struct FlattenTests {
    static func values(_ line: String, depth: Int = 4) -> [String: String] {
        var schema = RecordSchema.default
        schema.flattenDepth = depth
        var mapper = RecordMapper(schema: schema)
        var buffer = RecordBuffer()
        let reason = Array(line.utf8).withUnsafeBytes { mapper.map($0, into: &buffer) }
        #expect(reason == nil)
        var out: [String: String] = [:]
        buffer.withView { view in
            for (value, feature) in view.values(of: buffer.records[0]) {
                let name = mapper.features.names[Int(feature)]
                switch value {
                case .number(let x): out[name] = "\(x)"
                case .category(let range): out[name] = "'" + String(decoding: view.bytes(range), as: UTF8.self) + "'"
                case .null: out[name] = "null"
                case .structured: out[name] = "structured"
                }
            }
        }
        return out
    }

    static let line = #"""
        {"ts": 1795651200, "features": {"request": {"customer": {"age": 31, "country": "FR", "vip": null},
        "usage": {"calls": 3}}, "flat": 1, "tags": ["a"], "empty": {}, "deep": {"a": {"b": {"c": {"d": {"e": 1}}}}},
        "esc\u0061ped": {"k": 2}}}
        """#.replacingOccurrences(of: "\n", with: " ")

    @Test func nestedObjectsBecomeDottedNames() {
        #expect(
            Self.values(Self.line) == [
                "request.customer.age": "31.0", "request.customer.country": "'FR'", "request.customer.vip": "null",
                "request.usage.calls": "3.0", "flat": "1.0", "tags": "structured", "deep.a.b.c.d": "structured",
                "escaped.k": "2.0",
            ])
    }

    @Test func theDepthLimitsTheLevels() {
        let one = Self.values(Self.line, depth: 1)
        #expect(one["request.customer"] == "structured" && one["request.usage"] == "structured")
        #expect(one["deep.a"] == "structured" && one["flat"] == "1.0")
        let none = Self.values(Self.line, depth: 0)
        #expect(none["request"] == "structured" && none["deep"] == "structured" && none["escaped"] == "structured")
    }

    @Test func aNameOverTheLimitIsIgnoredAndCounted() {
        let long = String(repeating: "k", count: 200)
        var mapper = RecordMapper(schema: .default)
        var buffer = RecordBuffer()
        let line = #"{"ts": 1795651200, "features": {"\#(long)": {"\#(long)": 1}, "ok": 2}}"#
        _ = Array(line.utf8).withUnsafeBytes { mapper.map($0, into: &buffer) }
        #expect(mapper.ignoredNames == 1)
        #expect(buffer.values.count == 1)
    }
}
