import DriftCore
import DriftRecords
import Foundation
import Testing

@Suite struct EventTimeTests {
    @Test func parsesRFC3339AsFoundationDoes() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let texts = [
            "2026-11-26T10:00:00.123Z", "1970-01-01T00:00:00.000Z", "2000-02-29T23:59:59.999Z",
            "2026-11-26T10:00:00.500+02:00", "1999-12-31T23:30:00.250-05:30", "1969-07-20T20:17:40.000Z",
        ]
        for text in texts {
            let t = try #require(EventTime(rfc3339: text))
            let date = try #require(formatter.date(from: text))
            #expect(t.nanoseconds == Int64((date.timeIntervalSince1970 * 1000).rounded()) * 1_000_000, "\(text)")
        }
    }

    @Test func acceptsTheVariantsRFC3339Allows() {
        let base = EventTime(rfc3339: "2026-11-26T10:00:00Z")!
        #expect(EventTime(rfc3339: "2026-11-26t10:00:00z") == base)
        #expect(EventTime(rfc3339: "2026-11-26 10:00:00Z") == base)
        #expect(EventTime(rfc3339: "2026-11-26T11:00:00+01:00") == base)
        #expect(EventTime(rfc3339: "2026-11-26T10:00:00.123456789Z")!.nanoseconds == base.nanoseconds + 123_456_789)
        #expect(EventTime(rfc3339: "2026-11-26T10:00:00.1234567891Z")!.nanoseconds == base.nanoseconds + 123_456_789)
    }

    @Test(arguments: [
        "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T10:00:00",
        "2026-11-26", "26/11/2026 10:00", "2026-11-26T10:00:00.Z", "2026-11-26T10:00:00Z ", "",
    ])
    func rejectsWhatIsNotRFC3339(_ text: String) {
        #expect(EventTime(rfc3339: text) == nil)
    }

    @Test func formatsAndReadsBack() {
        for ns: Int64 in [
            0, 1, 999_999_999, 1_795_651_200_123_000_000, -1, -86_400_000_000_001, 951_782_400_000_000_000,
        ] {
            let t = EventTime(nanoseconds: ns)
            #expect(EventTime(rfc3339: t.rfc3339) == t, "\(t.rfc3339)")
        }
        #expect(EventTime(seconds: 1_795_651_200).rfc3339 == "2026-11-26T00:00:00Z")
        #expect(EventTime(nanoseconds: 1_795_651_200_120_000_000).rfc3339 == "2026-11-26T00:00:00.12Z")
    }

    /// Formatting agrees with Foundation's ISO 8601 formatter on the whole seconds and with the nanoseconds
    /// printed by `String(format:)` on the fraction, for times spread over all of Int64 (1677 to 2262), negative
    /// ones included, with every number of fraction digits.
    @Test func formatsAsFoundationDoes() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var rng = SplitMix64(seed: 11)
        var times: [Int64] = [0, 1, -1, 999_999_999, 1_000_000_000, -999_999_999, .max, .min, .min + 1]
        for _ in 0..<2_000 {
            let r = Int64(bitPattern: rng.next())
            // Whole seconds, whole milliseconds and any nanosecond: trailing zeros of every length.
            times += [r, r / 1_000_000_000 * 1_000_000_000, r / 1_000_000 * 1_000_000, r / 10 * 10]
        }
        for ns in times {
            let (q, r) = ns.quotientAndRemainder(dividingBy: 1_000_000_000)
            let secs = r < 0 ? q - 1 : q
            let frac = String(format: "%09lld", r < 0 ? r + 1_000_000_000 : r)
            let whole = String(formatter.string(from: Date(timeIntervalSince1970: Double(secs))).dropLast())
            var trimmed = Substring(frac)
            while trimmed.last == "0" { trimmed.removeLast() }
            let t = EventTime(nanoseconds: ns)
            #expect(t.rfc3339 == whole + (trimmed.isEmpty ? "" : "." + trimmed) + "Z", "\(ns)")
            for digits in [-1, 0, 3, 6, 9, 12] {
                let kept = frac.prefix(max(0, min(9, digits)))
                #expect(
                    t.rfc3339(fractionDigits: digits) == whole + (kept.isEmpty ? "" : "." + kept) + "Z",
                    "\(ns), \(digits) digits")
            }
        }
    }

    @Test func epochUnitsAreToldByMagnitude() {
        let expected = EventTime(rfc3339: "2026-11-26T00:00:00.250Z")!
        #expect(EventTime(epoch: 1_795_651_200.25) == expected)
        #expect(EventTime(epoch: 1_795_651_200_250) == expected)
        #expect(EventTime(epoch: 1_795_651_200_250_000) == expected)
        #expect(EventTime(epochInteger: 1_795_651_200_250_000_000) == expected)
        #expect(EventTime(epochInteger: 1_795_651_200_250) == expected)
        #expect(EventTime(epochInteger: 1_795_651_200) == EventTime(seconds: 1_795_651_200))
        #expect(EventTime(epoch: .nan) == nil)
        #expect(EventTime(epoch: .infinity) == nil)
    }

    @Test func spansAndSizesParseAsConfigsWriteThem() {
        #expect(Span(parsing: "5m") == .seconds(300))
        #expect(Span(parsing: "1h30m") == .seconds(5400))
        #expect(Span(parsing: "250ms") == .milliseconds(250))
        #expect(Span(parsing: "5") == nil)
        #expect(Span(parsing: "5 minutes") == nil)
        #expect(Span.seconds(5400).description == "1h30m")
        #expect(ByteSize(parsing: "64MiB")?.bytes == 64 << 20)
        #expect(ByteSize(parsing: "10MB")?.bytes == 10_000_000)
        #expect(ByteSize(parsing: "64 MiB")?.bytes == 64 << 20)
        #expect(ByteSize(parsing: "64Mb") == nil)
    }
}
