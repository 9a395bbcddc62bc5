import DriftCore
import Foundation
import Testing

@testable import DriftStats

/// `top(k)` orders the counters by count descending, then by value as Strings compare, each spelling of a value
/// its own counter: what sorting every counter's String gives.
@Suite struct HeavyHittersTopTests {
    /// Values with many ties: ASCII of several lengths and prefixes of each other, accented letters both composed
    /// (`é`) and decomposed (`e` + U+0301, equal to it as a String), and other scripts and emoji.
    static let pool = [
        "a", "ab", "abc", "b", "B", "Z", "z9", "z10", "5014", "05014", "", " ", "é", "e\u{301}", "éa", "e\u{301}b",
        "Ω", "日本", "🙂", "a🙂", "zz", "é\u{0}", "~", "id-1", "id-10", "id-2",
    ]

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func topEqualsEveryCounterSortedAsStrings(seed: UInt64) {
        let h = Self.counted(Self.pool, seed: seed, values: 200)
        let all = h.spelledCounters.map { (value: String(decoding: $0.bytes, as: UTF8.self), count: $0.count) }
        #expect(all.count > Set(all.map(\.value)).count, "some values are equal as Strings but spelled apart")
        Self.expectTopIsSortedCounters(h)
    }

    /// Only ASCII values: `top` then picks the counters on their bytes, without making a String of each. Ties on
    /// counts are many (values that are prefixes of others, upper and lower case, digits), and the heavy hitters
    /// drop counters (more distinct values than their capacity), so the order is taken from the bytes' and
    /// compared with the Strings'.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func asciiTopEqualsEveryCounterSortedAsStrings(seed: UInt64) {
        let ascii = Self.pool.filter { $0.utf8.allSatisfy { $0 < 0x80 } } + ["A", "a ", "a\u{7f}", "id-01"]
        var h = Self.counted(ascii, seed: seed, values: 300, capacity: 8)
        #expect(h.maxError > 0, "counters were dropped")
        Self.expectTopIsSortedCounters(h)
        h = Self.counted(ascii, seed: seed, values: 40)
        Self.expectTopIsSortedCounters(h)
    }

    static func counted(_ pool: [String], seed: UInt64, values: Int, capacity: Int = 64) -> HeavyHitters {
        var rng = SplitMix64(seed: seed)
        var h = HeavyHitters(capacity: capacity)
        for _ in 0..<values {
            let v = pool[Int(rng.next() % UInt64(pool.count))] + (rng.next() % 3 == 0 ? "\(rng.next() % 4)" : "")
            h.add(v)
        }
        return h
    }

    static func expectTopIsSortedCounters(_ h: HeavyHitters) {
        // The exact answer: every counter (each spelling its own) made a String and sorted in the documented order.
        let all = h.spelledCounters.map { (value: String(decoding: $0.bytes, as: UTF8.self), count: $0.count) }
        for k in [0, 1, 3, 10, all.count, all.count + 5] {
            let expected = all.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }.prefix(k)
            let got = h.top(k)
            #expect(got.map(\.count) == expected.map(\.count), "k \(k)")
            // Values equal as Strings (é composed or not) may come in either order: compare them as Strings.
            #expect(zip(got, expected).allSatisfy { $0.value == $1.value }, "k \(k)")
            #expect(got.count == min(k, all.count))
        }
    }
}
