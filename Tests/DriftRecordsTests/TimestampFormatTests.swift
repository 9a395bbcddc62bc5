import DriftCore
import DriftRecords
import Testing

/// `schema.timestamp_format` reads what Python's `datetime.strptime` reads (the fixture is its answers), and the
/// mapper rejects a timestamp that does not follow it with a message that names the pattern.
@Suite struct TimestampFormatTests {
    static func parse(_ pattern: String, _ text: String) throws -> ParsedTime {
        let format = try TimestampFormat(pattern)
        return Array(text.utf8).withUnsafeBytes { format.parse($0) }
    }

    @Test(arguments: TimestampFormatFixture.cases.indices)
    func readsWhatStrptimeReads(_ i: Int) throws {
        let c = TimestampFormatFixture.cases[i]
        #expect(try Self.parse(c.pattern, c.text) == c.expected, "\(c.pattern) \(c.text)")
    }

    /// Where driftd is stricter than strptime, on purpose: day 366 of a common year is no date (Python rolls it
    /// into the next year), and times outside what the window arithmetic holds are out of range.
    @Test func impossibleDatesAndTimesOutOfRange() throws {
        #expect(try Self.parse("%Y%j", "2026366") == .invalid)
        #expect(try Self.parse("%Y-%m-%d %z", "1600-01-01 +0000") == .outOfRange)
        #expect(try Self.parse("%s", "99999999999999") == .outOfRange)
        #expect(try Self.parse("%s.%f", "1795687200.25") == .time(EventTime(nanoseconds: 1_795_687_200_250_000_000)))
        #expect(
            try Self.parse("%e/%m/%Y %T", " 6/11/2026 10:00:00") == .naive(EventTime(rfc3339: "2026-11-06T10:00:00Z")!))
    }

    @Test func patternsThatCannotWorkAreRefusedWithTheReason() {
        #expect(throws: TimestampFormat.PatternError.self) { try TimestampFormat("%H:%M:%S") }
        #expect(throws: TimestampFormat.PatternError.self) { try TimestampFormat("%Y-%m-%d %I:%M") }
        #expect(throws: TimestampFormat.PatternError.self) { try TimestampFormat("%Y-%m-%d %Q") }
        #expect(throws: TimestampFormat.PatternError.self) { try TimestampFormat("%Y-%m-%d %") }
    }

    @Test func theMapperReadsTheFormatAndNamesItWhenALineDoesNotFollowIt() throws {
        var schema = RecordSchema.default
        schema.timestampFormat = try TimestampFormat("%d/%b/%Y:%H:%M:%S %z")
        let mapper = RecordMapperTests()
        let (record, reason) = mapper.map(
            #"{"ts": "26/Nov/2026:10:00:00 +0100", "features": {"x": 1}}"#, schema: schema)
        #expect(reason == nil && record.time == EventTime(rfc3339: "2026-11-26T09:00:00Z"))
        let (_, bad) = mapper.map(#"{"ts": "2026-11-26T10:00:00Z", "features": {"x": 1}}"#, schema: schema)
        #expect(bad?.code == "bad_timestamp")
        #expect(bad?.description.contains("does not follow schema.timestamp_format %d/%b/%Y:%H:%M:%S %z") == true)
        // Epoch numbers are still read; a local time without %z needs schema.timezone.
        #expect(mapper.map(#"{"ts": 1795687200, "features": {"x": 1}}"#, schema: schema).1 == nil)
        schema.timestampFormat = try TimestampFormat("%Y-%m-%d %H:%M:%S,%f")
        #expect(mapper.map(#"{"ts": "2026-11-26 10:00:00,5"}"#, schema: schema).1?.code == "no_offset")
        schema.timezone = LocalTimeZone("+01:00")
        let (local, none) = mapper.map(#"{"ts": "2026-11-26 10:00:00,5"}"#, schema: schema)
        #expect(none == nil && local.time == EventTime(rfc3339: "2026-11-26T09:00:00.5Z"))
    }
}
