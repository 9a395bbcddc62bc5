import Foundation
import Testing

@testable import DriftStats

/// Values equal as Strings but spelled apart are two counters: they are written and read back as two, and the
/// summary compares equal to itself read back (the form written before, a dictionary by value, is still read).
@Suite struct HeavyHittersSpellingTests {
    @Test func valuesSpelledApartAreWrittenAndReadBackApart() throws {
        var h = HeavyHitters(capacity: 8)
        for (value, n) in [("caf\u{E9}", 3), ("cafe\u{301}", 2), ("tea", 1)] { h.add(value, count: n) }
        #expect(h.counterCount == 3)
        #expect(h.counters == ["caf\u{E9}": 5, "tea": 1], "the dictionary adds the two spellings together")
        let data = try JSONEncoder().encode(h)
        let back = try JSONDecoder().decode(HeavyHitters.self, from: data)
        #expect(back == h && back.counterCount == 3)
        #expect(back.top(3).map(\.count) == [3, 2, 1])
        var other = HeavyHitters(capacity: 8)
        other.add("caf\u{E9}", count: 5)
        other.add("tea")
        #expect(other != h, "two spellings are not one")
        let old = #"{"capacity":8,"maxError":0,"counters":{"tea":1,"café":5}}"#
        let read = try JSONDecoder().decode(HeavyHitters.self, from: Data(old.utf8))
        #expect(read == other)
    }
}
