import DriftCore
import DriftRecords
import Testing

/// Timestamps without an offset (Python's `datetime.utcnow().isoformat()`): rejected with a message that says what
/// to write, or read in `schema.timezone`.
@Suite struct LocalTimeZoneTests {
    static func time(_ line: String, zone: String?) -> (EventTime?, RejectReason?) {
        var schema = RecordSchema.default
        schema.timezone = zone.flatMap(LocalTimeZone.init)
        var mapper = RecordMapper(schema: schema)
        var buffer = RecordBuffer()
        let reason = Array(line.utf8).withUnsafeBytes { mapper.map($0, into: &buffer) }
        return (buffer.records.first?.time, reason)
    }

    @Test func aTimeWithoutAnOffsetIsNaiveNotATime() {
        let text = Array("2026-11-26T10:00:00.250".utf8)
        let parsed = text.withUnsafeBytes { EventTime.parse(rfc3339: $0) }
        #expect(parsed == .naive(EventTime(rfc3339: "2026-11-26T10:00:00.250Z")!))
        #expect(EventTime(rfc3339: "2026-11-26T10:00:00") == nil)
        #expect(EventTime(rfc3339: "2026-11-26T10:00:00+01:00") == EventTime(rfc3339: "2026-11-26T09:00:00Z"))
    }

    @Test func withoutAZoneTheLineIsRejectedWithWhatToWrite() throws {
        let (time, reason) = Self.time(#"{"ts": "2026-11-26T10:00:00.123456", "features": {"a": 1}}"#, zone: nil)
        #expect(time == nil)
        let why = try #require(reason)
        #expect(why.code == "no_offset")
        #expect(why.description.contains(#""2026-11-26T10:00:00.123456" has no offset"#), "\(why)")
        #expect(why.description.contains("end it with Z") && why.description.contains("schema.timezone"))
    }

    /// Expected times from Python: `datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Paris"))
    /// .astimezone(ZoneInfo("UTC"))` and the same for each row (zoneinfo, fold 0).
    @Test(arguments: [
        ("UTC", "2026-07-01T12:00:00", "2026-07-01T12:00:00Z"),
        ("+01:00", "2026-07-01T12:00:00.5", "2026-07-01T11:00:00.5Z"),
        ("-05:30", "2026-07-01 12:00:00", "2026-07-01T17:30:00Z"),
        ("Europe/Paris", "2026-07-01T12:00:00", "2026-07-01T10:00:00Z"),  // summer: +02:00
        ("Europe/Paris", "2026-01-15T12:00:00", "2026-01-15T11:00:00Z"),  // winter: +01:00
        ("Europe/Paris", "2026-10-25T02:30:00", "2026-10-25T00:30:00Z"),  // twice: the first
        ("Europe/Paris", "2026-03-29T02:30:00", "2026-03-29T01:30:00Z"),  // never: moved forward
        ("America/New_York", "2026-11-01T01:30:00", "2026-11-01T05:30:00Z"),
    ])
    func aTimeWithoutAnOffsetIsReadInTheZone(_ zone: String, _ local: String, _ utc: String) {
        let (time, reason) = Self.time(#"{"ts": "\#(local)", "features": {"a": 1}}"#, zone: zone)
        #expect(reason == nil)
        #expect(time == EventTime(rfc3339: utc), "\(time?.rfc3339 ?? "nil")")
    }

    /// One mapper reads records on both sides of a change of offset (it keeps the last minute's offset): each gets
    /// its own. Expected times from Python's zoneinfo, as above.
    @Test func recordsAcrossAChangeOfOffsetEachGetTheirs() {
        var schema = RecordSchema.default
        schema.timezone = LocalTimeZone("Europe/Paris")
        var mapper = RecordMapper(schema: schema)
        var buffer = RecordBuffer()
        let locals = [
            "2026-03-29T01:59:30", "2026-03-29T01:59:59.5", "2026-03-29T03:00:00", "2026-03-29T03:00:30",
            "1960-06-01T12:00:00", "2026-10-25T02:59:59", "2026-10-25T03:00:00",
        ]
        for local in locals {
            let line = #"{"ts": "\#(local)", "features": {"a": 1}}"#
            _ = Array(line.utf8).withUnsafeBytes { mapper.map($0, into: &buffer) }
        }
        #expect(
            buffer.records.map(\.time.rfc3339) == [
                "2026-03-29T00:59:30Z", "2026-03-29T00:59:59.5Z", "2026-03-29T01:00:00Z", "2026-03-29T01:00:30Z",
                "1960-06-01T11:00:00Z", "2026-10-25T00:59:59Z", "2026-10-25T02:00:00Z",
            ])
    }

    @Test func aTimeWithAnOffsetIgnoresTheZone() {
        let (time, _) = Self.time(#"{"ts": "2026-07-01T12:00:00Z"}"#, zone: "Europe/Paris")
        #expect(time == EventTime(rfc3339: "2026-07-01T12:00:00Z"))
    }
}
