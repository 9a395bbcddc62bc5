import DriftCore
import DriftRecords
import Testing

/// Lines that once crashed or blinded driftd (issue: hostile input never stops driftd). Each is a counted
/// rejection with a reason, never a trap.
@Suite struct HostileRecordTests {
    func reason(_ line: String, notAfter: EventTime = EventTime(nanoseconds: .max)) -> RejectReason? {
        var mapper = RecordMapper(schema: .default)
        var buffer = RecordBuffer()
        return Array(line.utf8).withUnsafeBytes { mapper.map($0, into: &buffer, notAfter: notAfter) }
    }

    /// `{"ts":{}}` crashed replay, baseline and run (the rejection message read an object's text range).
    @Test(arguments: [
        (#"{"ts":{},"features":{"x":1}}"#, "an object"), (#"{"ts":[1],"features":{"x":1}}"#, "an array"),
        (#"{"ts":{"a":[1,2,{"b":3}]},"features":{}}"#, "an object"), (#"{"ts":true}"#, "\"true\""),
    ])
    func aTimestampThatIsNotAScalarIsRejectedAndNamed(line: String, named: String) {
        let r = reason(line)
        #expect(r?.code == "bad_timestamp")
        #expect(r?.description.contains(named) == true, "\(String(describing: r))")
    }

    /// Times outside what 64-bit nanoseconds hold overflowed in parsing or in the window arithmetic.
    @Test(arguments: [
        #""0001-01-01T00:00:00Z""#, #""9999-12-31T23:59:59Z""#, #""2262-04-11T23:47:16Z""#, #""2262-01-01T00:00:00Z""#,
        #""1677-12-31T23:59:59Z""#, "9223372036854775000", "-9223372036854775808", "1e300", "-1e19",
        "99999999999999999999",
    ])
    func timesOutsideTheRepresentableYearsAreRejectedAsOutOfRange(ts: String) {
        #expect(reason(#"{"ts":\#(ts),"features":{"x":1}}"#)?.code == "out_of_range")
    }

    @Test func theEdgesOfTheRepresentableYearsAreTaken() {
        #expect(reason(#"{"ts":"1678-01-01T00:00:00Z"}"#) == nil)
        #expect(reason(#"{"ts":"2261-12-31T23:59:59.999999999Z"}"#) == nil)
        #expect(EventTime(rfc3339: "2261-12-31T23:59:59Z")!.isRepresentable)
        #expect(!EventTime(nanoseconds: .max).isRepresentable)
    }

    @Test func aRecordFromTheFutureIsRejectedAndTheBoundIsInclusive() {
        let now = EventTime(rfc3339: "2026-11-30T12:00:00Z")!
        #expect(reason(#"{"ts":"2099-01-01T00:00:00Z"}"#, notAfter: now)?.code == "future")
        #expect(reason(#"{"ts":"2026-11-30T12:00:00.000000001Z"}"#, notAfter: now)?.code == "future")
        #expect(reason(#"{"ts":"2026-11-30T12:00:00Z"}"#, notAfter: now) == nil)
        #expect(reason(#"{"ts":1796040000}"#, notAfter: now) == nil, "epoch seconds: 2026-11-30T12:00:00Z")
        #expect(reason(#"{"ts":1796040001}"#, notAfter: now)?.code == "future")
    }

    @Test func aRejectionQuotesAtMost64BytesOfTheTimestampWithControlCharactersEscaped() {
        let long = String(repeating: "x", count: 10_000)
        let r = reason(#"{"ts":"\u0000\u001b[31m\#(long)"}"#)
        let text = r?.description ?? ""
        #expect(r?.code == "bad_timestamp")
        #expect(text.contains(#"\u0000\u001b[31m"#))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
        #expect(text.utf8.count < 300)
    }

    @Test func emptyFeatureNamesAreIgnoredAndCounted() {
        var mapper = RecordMapper(schema: .default)
        var buffer = RecordBuffer()
        let line = #"{"ts":1,"features":{"":1,"\u0000":2,"ok":3,"\#(String(repeating: "n", count: 300))":4}}"#
        let r = Array(line.utf8).withUnsafeBytes { mapper.map($0, into: &buffer) }
        #expect(r == nil)
        let names = buffer.values.map { mapper.features.names[Int($0.feature)] }
        #expect(names == ["\u{0}", "ok"])
        #expect(mapper.ignoredNames == 2)
    }

    @Test func windowArithmeticAtTheEdgesOfTheYearsCannotOverflow() {
        let longest = EventTime.maxSpan
        for edge in [EventTime.earliest, EventTime(nanoseconds: EventTime.end.nanoseconds - 1)] {
            #expect((edge + longest).nanoseconds > edge.nanoseconds)
            #expect((edge - longest).nanoseconds < edge.nanoseconds)
        }
        #expect(EventTime(nanoseconds: .max) + .seconds(1) == EventTime(nanoseconds: .max), "saturates")
        #expect(EventTime(nanoseconds: .min) - .seconds(1) == EventTime(nanoseconds: .min), "saturates")
    }
}
