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
        var rng = SplitMix64(seed: seed)
        var h = HeavyHitters(capacity: 64)
        for _ in 0..<200 {
            let v =
                Self.pool[Int(rng.next() % UInt64(Self.pool.count))] + (rng.next() % 3 == 0 ? "\(rng.next() % 4)" : "")
            h.add(v)
        }
        // The exact answer: every counter (each spelling its own) made a String and sorted in the documented order.
        let all = h.spelledCounters.map { (value: String(decoding: $0.bytes, as: UTF8.self), count: $0.count) }
        #expect(all.count > Set(all.map(\.value)).count, "some values are equal as Strings but spelled apart")
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
