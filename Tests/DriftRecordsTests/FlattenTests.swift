import DriftCore
import DriftRecords
import Testing

/// Nested objects in the features object become dotted names, `schema.flatten_depth` levels down.
@Suite struct FlattenTests {
    static func values(_ line: String, depth: Int = 4) -> [String: RecordMapperTests.Value] {
        var schema = RecordSchema.default
        schema.flattenDepth = depth
        let mapped = RecordMapperTests()
        let (record, reason) = mapped.map(line, schema: schema)
        #expect(reason == nil)
        return mapped.values(record)
    }

    static let line = #"""
        {"ts": 1795651200, "features": {"request": {"customer": {"age": 31, "country": "FR", "vip": null},
        "usage": {"calls": 3}}, "flat": 1, "tags": ["a"], "empty": {}, "deep": {"a": {"b": {"c": {"d": {"e": 1}}}}},
        "esc\u0061ped": {"k": 2}}}
        """#.replacingOccurrences(of: "\n", with: " ")

    @Test func nestedObjectsBecomeDottedNames() {
        #expect(
            Self.values(Self.line) == [
                "request.customer.age": .number(31), "request.customer.country": .category("FR"),
                "request.customer.vip": .null, "request.usage.calls": .number(3), "flat": .number(1),
                "tags.length": .number(1), "tags[]": .elements, "deep.a.b.c.d": .structured, "escaped.k": .number(2),
            ])
    }

    @Test func theDepthLimitsTheLevels() {
        let one = Self.values(Self.line, depth: 1)
        #expect(one["request.customer"] == .structured && one["request.usage"] == .structured)
        #expect(one["deep.a"] == .structured && one["flat"] == .number(1))
        let none = Self.values(Self.line, depth: 0)
        #expect(none["request"] == .structured && none["deep"] == .structured && none["escaped"] == .structured)
    }

    /// The prediction's object is flattened the same way, after its own prefix.
    @Test func aNestedPredictionIsFlattenedAfterItsPrefix() {
        let v = Self.values(
            #"{"ts": 1795651200, "features": {"a": {"b": 1}}, "prediction": {"score": 0.5, "detail": {"margin": 0.25}}}"#
        )
        #expect(v["a.b"] == .number(1) && v["prediction.score"] == .number(0.5))
        #expect(v["prediction.detail.margin"] == .number(0.25))
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
