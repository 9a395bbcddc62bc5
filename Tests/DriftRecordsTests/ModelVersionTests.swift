import DriftCore
import DriftRecords
import Testing

/// `schema.model_version` makes each version a model of its own (joined to the name by ``ModelKey``);
/// `schema.request_id` is read and carried with the record.
@Suite struct ModelVersionTests {
    static func schema() -> RecordSchema {
        var schema = RecordSchema.default
        schema.modelVersion = "meta.version"
        schema.requestID = "request_id"
        return schema
    }

    @Test func theVersionJoinsTheModelName() {
        let mapper = RecordMapperTests()
        let cases: [(String, String, String?)] = [
            (#"{"ts": 1795651200, "model": "fraud", "meta": {"version": "2.1.0"}}"#, "fraud", "2.1.0"),
            (#"{"ts": 1795651200, "model": "fraud", "meta": {"version": 3}}"#, "fraud", "3"),
            (#"{"ts": 1795651200, "model": "fraud", "meta": {"version": null}}"#, "fraud", nil),
            (#"{"ts": 1795651200, "model": "fraud"}"#, "fraud", nil),
            (#"{"ts": 1795651200, "meta": {"version": "v\u001e1\u001f"}}"#, "default", "v1"),
            (#"{"ts": 1795651200, "model": "fr\u001eaud", "meta": {"version": {"a": 1}}}"#, "fraud", nil),
        ]
        for (line, model, version) in cases {
            let (r, reason) = mapper.map(line, schema: Self.schema())
            #expect(reason == nil)
            let split = ModelKey.split(r.model)
            #expect(split.model == model && split.version == version, "\(line)")
        }
        #expect(ModelKey.split(ModelKey.join("m", version: "")) == ("m", ""))
    }

    @Test func theRequestIDIsCarried() {
        var mapper = RecordMapper(schema: Self.schema())
        var buffer = RecordBuffer()
        for line in [
            #"{"ts": 1795651200, "request_id": "0b5f6c1e-5d1a-4b8e-9a43-1f2d3c4b5a69"}"#,
            #"{"ts": 1795651200, "request_id": 12345678901234567890}"#, #"{"ts": 1795651200, "request_id": null}"#,
            #"{"ts": 1795651200}"#,
        ] {
            #expect(Array(line.utf8).withUnsafeBytes { mapper.map($0, into: &buffer) } == nil)
        }
        #expect(
            buffer.records.map { $0.requestID.map(buffer.string) } == [
                "0b5f6c1e-5d1a-4b8e-9a43-1f2d3c4b5a69", "12345678901234567890", nil, nil,
            ])
    }
}
