import DriftCore
import DriftRecords
import Testing

@Suite struct RecordMapperTests {
    /// A feature value with its text resolved.
    enum Value: Equatable {
        case number(Double)
        case category(String)
        case null, structured, elements
    }

    /// A record with its ids and text resolved.
    struct Mapped {
        var record: Record
        var model: String
        var names: [String]
        var values: [Value]
        var predictedLabel: String?
        var actualLabel: String?
        var time: EventTime { record.time }
    }

    func map(_ line: String, schema: RecordSchema = .default) -> (Mapped, RejectReason?) {
        map(Array(line.utf8), schema: schema)
    }

    func map(_ bytes: [UInt8], schema: RecordSchema = .default) -> (Mapped, RejectReason?) {
        var mapper = RecordMapper(schema: schema)
        var buffer = RecordBuffer()
        let reason = bytes.withUnsafeBytes { mapper.map($0, into: &buffer) }
        guard reason == nil else {
            #expect(
                buffer.records.isEmpty && buffer.values.isEmpty && buffer.text.isEmpty, "a rejected line adds nothing")
            return (
                Mapped(
                    record: Record(time: EventTime(nanoseconds: 0), model: 0, values: 0..<0), model: "",
                    names: [], values: []), reason
            )
        }
        let record = buffer.records[0]
        let values = buffer.values(of: record)
        let resolved = resolve(buffer)
        return (
            Mapped(
                record: record, model: mapper.models.names[Int(record.model)],
                names: values.map { mapper.features.names[Int($0.feature)] }, values: resolved,
                predictedLabel: record.predictedLabel.map(buffer.string),
                actualLabel: record.actualLabel.map(buffer.string)), reason
        )
    }

    func resolve(_ buffer: RecordBuffer) -> [Value] {
        buffer.values.map {
            switch $0.value {
            case .number(let x): .number(x)
            case .category(let r): .category(buffer.string(r))
            case .null: .null
            case .structured: .structured
            case .elements: .elements
            }
        }
    }

    func values(_ r: Mapped) -> [String: Value] {
        Dictionary(zip(r.names, r.values), uniquingKeysWith: { a, _ in a })
    }

    @Test func categoricalTextIsDecodedAndValidUTF8() {
        var line = Array(#"{"ts": 1, "features": {"a": "caf\u00e9 \"q\"", "b": "naïve", "c": "x"#.utf8)
        line += [0xFF, 0x22] + Array(#", "d": false}, "prediction": {"label": "fraud"}, "actual": "legit"}"#.utf8)
        let (r, reason) = map(line)
        #expect(reason == nil)
        let v = values(r)
        #expect(v["a"] == .category("café \"q\""))
        #expect(v["b"] == .category("naïve"))
        #expect(v["c"] == .category("x\u{FFFD}"))
        #expect(v["d"] == .category("false"))
        #expect(r.predictedLabel == "fraud" && r.actualLabel == "legit")
    }

    @Test func readsTheDefaultShape() {
        let line =
            #"{"ts": "2026-11-26T10:00:00.123Z", "model": "fraud-v3", "features": {"amount": 12.5, "country": "FR", "vip": true, "note": null, "tags": [1]}, "prediction": {"score": 0.87, "label": "fraud"}, "actual": "fraud"}"#
        let (r, reason) = map(line)
        #expect(reason == nil)
        #expect(r.time == EventTime(rfc3339: "2026-11-26T10:00:00.123Z"))
        #expect(r.model == "fraud-v3")
        #expect(
            r.names == [
                "amount", "country", "vip", "note", "tags.length", "prediction.score", "prediction.label", "actual",
            ])
        let v = values(r)
        #expect(v["amount"] == .number(12.5))
        #expect(v["country"] == .category("FR"))
        #expect(v["vip"] == .category("true"))
        #expect(v["note"] == .null)
        #expect(v["tags.length"] == .number(1))
        #expect(v["prediction.score"] == .number(0.87))
        #expect(v["actual"] == .category("fraud"))
    }

    @Test func mapsOtherShapesWithDottedPaths() {
        let schema = RecordSchema(
            timestamp: "meta.time", model: "meta.model", features: .list(["input.x", "input.deep.y"]),
            prediction: "output", actual: nil)
        let line =
            #"{"meta": {"time": 1795651200123, "model": "m"}, "input": {"x": 1, "deep": {"y": "a"}, "z": 3}, "output": 0.5, "actual": 1}"#
        let (r, reason) = map(line, schema: schema)
        #expect(reason == nil)
        #expect(r.time == EventTime(rfc3339: "2026-11-26T00:00:00.123Z"))
        #expect(r.model == "m")
        #expect(r.names == ["input.x", "input.deep.y", "prediction"])
        #expect(values(r)["prediction"] == .number(0.5))
    }

    /// A record's values are gathered in the mapper's scratch memory first: more values than it held to begin
    /// with, and a path listed twice (one value more than the tape has tokens for it), all arrive, in order.
    @Test func manyValuesAndARepeatedPathAllArrive() {
        let members = (0..<300).map { "\"f\($0)\": \($0)" }.joined(separator: ", ")
        let (r, reason) = map(#"{"ts": 1795651200123, "features": {"# + members + #"}, "prediction": {"score": 0.5}}"#)
        #expect(reason == nil)
        #expect(r.names == (0..<300).map { "f\($0)" } + ["prediction.score"])
        #expect(r.values == (0..<300).map { .number(Double($0)) } + [.number(0.5)])
        #expect(r.record.predictedValue == 0.5)
        let listed = RecordSchema(features: .list(["x", "x", "y"]), prediction: nil, actual: nil)
        let (l, listedReason) = map(#"{"ts": 1795651200123, "x": "a", "y": 2}"#, schema: listed)
        #expect(listedReason == nil)
        #expect(l.names == ["x", "x", "y"])
        #expect(l.values == [.category("a"), .category("a"), .number(2)])
    }

    @Test func integerEpochNanosecondsAreExact() {
        let (r, _) = map(#"{"ts": 1795651200123456789}"#)
        #expect(r.time.nanoseconds == 1_795_651_200_123_456_789)
    }

    @Test func recordsWithoutAModelGetTheDefaultModel() {
        let (r, reason) = map(#"{"ts": 1795651200, "features": {}}"#)
        #expect(reason == nil)
        #expect(r.model == "default")
    }

    @Test(arguments: [
        ("not json", "invalid_json"), (#"{"ts": 1"#, "invalid_json"), ("[1,2]", "not_an_object"),
        (#""text""#, "not_an_object"), (#"{"features": {}}"#, "no_timestamp"), (#"{"ts": null}"#, "no_timestamp"),
        (#"{"ts": "yesterday"}"#, "bad_timestamp"), (#"{"ts": true}"#, "bad_timestamp"),
        (#"{"ts": NaN}"#, "bad_timestamp"),
    ])
    func rejectsWithAReason(_ line: String, _ code: String) {
        #expect(map(line).1?.code == code)
    }

    @Test func overLongModelNamesAreCut() {
        let name = String(repeating: "m", count: 5000)
        let (r, reason) = map(#"{"ts": 1795651200, "model": "\#(name)"}"#)
        #expect(reason == nil)
        #expect(r.model == String(repeating: "m", count: RecordMapper.maxFeatureNameBytes))
        let escaped = String(repeating: "\\u00e9", count: 300)  // 2-byte characters, cut at an odd byte
        let (e, eReason) = map(#"{"ts": 1795651200, "model": "\#(escaped)"}"#)
        #expect(eReason == nil && e.model.utf8.count <= RecordMapper.maxFeatureNameBytes + 2)
    }

    @Test func overLongFeatureNamesAreIgnored() {
        let name = String(repeating: "n", count: RecordMapper.maxFeatureNameBytes + 1)
        let (r, _) = map(#"{"ts": 1795651200, "features": {"\#(name)": 1, "ok": 2}}"#)
        #expect(r.names == ["ok"])
    }
}
