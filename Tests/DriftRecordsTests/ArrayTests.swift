import DriftCore
import DriftRecords
import Testing

/// An array gives `NAME.length` and, for its strings and booleans, values of the multi-valued `NAME[]`.
@Suite struct ArrayTests {
    /// Every (name, value) of `line`, in order, with the marker of `NAME[]` as `.elements`.
    static func pairs(_ line: String, schema: RecordSchema = .default) -> [(String, RecordMapperTests.Value)] {
        let mapper = RecordMapperTests()
        let (record, reason) = mapper.map(line, schema: schema)
        #expect(reason == nil)
        return Array(zip(record.names, record.values))
    }

    static func render(_ pairs: [(String, RecordMapperTests.Value)]) -> [String] {
        pairs.map { "\($0.0)=\($0.1)" }
    }

    @Test func anArrayOfStringsGivesItsLengthAndItsElements() {
        let got = Self.pairs(
            #"{"ts": 1795651200, "features": {"tags": ["vip", "mobile", "vip"], "n": 1, "u": {"t": ["x", true]}}}"#)
        #expect(
            Self.render(got) == [
                "tags.length=number(3.0)", "tags[]=elements", #"tags[]=category("vip")"#,
                #"tags[]=category("mobile")"#, #"tags[]=category("vip")"#, "n=number(1.0)",
                "u.t.length=number(2.0)", "u.t[]=elements", #"u.t[]=category("x")"#, #"u.t[]=category("true")"#,
            ])
    }

    /// Numbers, nulls and containers inside an array count in its length only: an embedding is not a distribution.
    @Test func otherElementsCountInTheLengthOnly() {
        let got = Self.pairs(
            #"{"ts": 1795651200, "features": {"emb": [0.1, 0.2, 0.3], "mix": [1, null, "a", {"k": 1}, [2]], "e": []}}"#)
        #expect(
            Self.render(got) == [
                "emb.length=number(3.0)", "mix.length=number(5.0)", "mix[]=elements", #"mix[]=category("a")"#,
                "e.length=number(0.0)",
            ])
    }

    /// A listed path that is an array is read the same way; an escaped key is unescaped first.
    @Test func listedPathsAndEscapedKeys() {
        var schema = RecordSchema.default
        schema.features = .list(["req.tags"])
        let listed = Self.pairs(#"{"ts": 1795651200, "req": {"tags": ["a"]}}"#, schema: schema)
        #expect(
            Self.render(listed) == ["req.tags.length=number(1.0)", "req.tags[]=elements", #"req.tags[]=category("a")"#])
        let escaped = Self.pairs(#"{"ts": 1795651200, "features": {"t\u0061gs": ["a"]}}"#)
        #expect(Self.render(escaped) == ["tags.length=number(1.0)", "tags[]=elements", #"tags[]=category("a")"#])
    }

    @Test func aNameOverTheLimitIsIgnoredAndCounted() {
        let long = String(repeating: "k", count: 250)
        var mapper = RecordMapper(schema: .default)
        var buffer = RecordBuffer()
        let line = #"{"ts": 1795651200, "features": {"\#(long)": ["a"], "ok": 2}}"#
        _ = Array(line.utf8).withUnsafeBytes { mapper.map($0, into: &buffer) }
        #expect(mapper.ignoredNames == 1)
        #expect(buffer.values.count == 1)
    }

    /// Long arrays and the same array listed twice stay within the mapper's memory for one record.
    @Test func manyElementsListedTwice() {
        var schema = RecordSchema.default
        schema.features = .list(["t", "t", "t"])
        let elements = (0..<500).map { "\"v\($0)\"" }.joined(separator: ",")
        let got = Self.pairs(#"{"ts": 1795651200, "t": [\#(elements)]}"#, schema: schema)
        #expect(got.count == 3 * 502)
        #expect(got.filter { $0.0 == "t[]" }.count == 3 * 501)
    }
}
