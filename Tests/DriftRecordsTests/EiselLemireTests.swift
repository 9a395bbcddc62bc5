import DriftTestSupport
import Testing

@testable import DriftRecords

/// The parser's own conversion of 17-digit decimals against Swift's `Double(String)` (the C library's correctly
/// rounded `strtod`): it must decide nearly every one, and never differently.
@Suite struct EiselLemireTests {
    @Test func decidesNearlyEveryDecimalAndAgreesWithTheLibrary() throws {
        var rng = SeededGenerator(seed: 0x5EED)  // fixed: a failure replays
        var decided = 0
        let n = 100_000
        for _ in 0..<n {
            let mantissa = UInt64.random(in: 1...9_999_999_999_999_999_999, using: &rng)
            let exponent = Int.random(in: -100...80, using: &rng)
            let reference = try #require(Double("\(mantissa)e\(exponent)"))
            guard let value = JSONTapeParser.eiselLemire(mantissa, exponent) else { continue }
            decided += 1
            #expect(value == reference, "\(mantissa)e\(exponent)")
        }
        #expect(decided > n * 999 / 1000)
    }

    @Test func leavesToTheLibraryWhatItCannotDecide() throws {
        // Outside the table, subnormal or overflowing results, and an exact tie (2^53 + 1 lies halfway).
        #expect(JSONTapeParser.eiselLemire(1, 101) == nil)
        #expect(JSONTapeParser.eiselLemire(1, -101) == nil)
        #expect(JSONTapeParser.eiselLemire(9_007_199_254_740_993, 0) == nil)
        #expect(JSONTapeParser.eiselLemire(0, 50) == 0)
        #expect(JSONTapeParser.eiselLemire(12_345, -2) == 123.45)
    }
}
