import DriftStats
import DriftTestSupport
import Foundation
import Testing

@Suite struct DistinctCounterTests {
    @Test func exactForSmallSets() {
        var d = DistinctCounter()
        for i in 0..<DistinctCounter.exactLimit {
            d.add("v\(i % 1500)")
            d.add("v\(i)")
        }
        #expect(d.isExact)
        #expect(d.estimate == DistinctCounter.exactLimit)
    }

    @Test(arguments: [2_049, 5_000, 20_000, 50_000, 100_000, 400_000, 2_000_000])
    func withinTwoPercentAbove(_ n: Int) {
        var d = DistinctCounter()
        for i in 0..<n { d.add(hash: XXH64.hash("value-\(i)")) }
        let error = abs(Double(d.estimate - n)) / Double(n)
        #expect(!d.isExact)
        #expect(error <= 0.02, "n \(n): estimate \(d.estimate), error \(error)")
    }

    /// The exact set is a hand-written hash table: it must count what `Set` counts, the hash 0 and collisions in
    /// the low bits included, and a checkpoint must give back the same set.
    @Test func theExactSetCountsWhatSetCounts() throws {
        var rng = SeededGenerator(seed: 12)
        var d = DistinctCounter()
        var reference = Set<UInt64>()
        for i in 0..<6_000 {
            let h: UInt64 =
                switch i % 4 {
                case 0: 0
                case 1: rng.next() << 20  // equal low bits: one probe chain
                case 2: UInt64(i % 97)
                default: rng.next()
                }
            d.add(hash: h)
            reference.insert(h)
            guard reference.count <= DistinctCounter.exactLimit else { break }
            #expect(d.estimate == reference.count)
        }
        #expect(!d.isExact)
        var small = DistinctCounter()
        for h: UInt64 in [0, 5, 1 << 40, 5, 0] { small.add(hash: h) }
        let decoded = try JSONDecoder().decode(DistinctCounter.self, from: JSONEncoder().encode(small))
        #expect(decoded == small && decoded.estimate == 3)
    }

    @Test func mergingInAnyOrderGivesTheSameEstimate() {
        var rng = SeededGenerator(seed: 8)
        let values = (0..<60_000).map { _ in "m\(Int(rng.unit() * 30_000))" }
        var parts = (0..<6).map { _ in DistinctCounter() }
        for (i, v) in values.enumerated() { parts[(i * 7919) % 6].add(v) }
        var forward = DistinctCounter()
        for p in parts { forward.merge(p) }
        var backward = DistinctCounter()
        for p in parts.reversed() { backward.merge(p) }
        var whole = DistinctCounter()
        for v in values { whole.add(v) }
        #expect(forward.estimate == backward.estimate)
        #expect(forward.estimate == whole.estimate)
        // Small partials merged stay exact.
        var a = DistinctCounter()
        var b = DistinctCounter()
        for i in 0..<300 {
            a.add("x\(i)")
            b.add("x\(i + 200)")
        }
        a.merge(b)
        #expect(a.isExact && a.estimate == 500)
    }

    /// Two exact sets whose union passes the exact limit switch to registers in the middle of the merge, after
    /// some of the other set's hashes (taken in the table's order, not sorted): the registers are those of
    /// adding every value to one counter, in either direction.
    @Test func exactSetsMergedPastTheLimitGiveTheRegistersOfTheWhole() {
        var a = DistinctCounter()
        var b = DistinctCounter()
        var whole = DistinctCounter()
        for i in 0..<1_500 {
            a.add("v\(i)")
            b.add("v\(i + 1_000)")
        }
        for i in 0..<2_500 { whole.add("v\(i)") }
        #expect(a.isExact && b.isExact && !whole.isExact)
        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(!ab.isExact && ab == whole && ba == whole)
    }
}

@Suite struct HeavyHittersTests {
    /// The summary is a hand-written hash table: differentially against Misra–Gries on a `Dictionary`.
    @Test func countsWhatADictionaryMisraGriesCounts() throws {
        var rng = SeededGenerator(seed: 77)
        var h = HeavyHitters(capacity: 16)
        var reference: [String: Int] = [:]
        var referenceError = 0
        for _ in 0..<50_000 {
            let u = rng.unit()
            let value = "v\(Int(u * u * u * 400))"  // skewed: a few frequent values, a long tail
            h.add(value)
            reference[value, default: 0] += 1
            if reference.count > 2 * 16 {
                let cut = reference.values.sorted(by: >)[16]
                referenceError += cut
                reference = reference.compactMapValues { $0 > cut ? $0 - cut : nil }
            }
        }
        #expect(h.counters == reference)
        #expect(h.maxError == referenceError)
        let decoded = try JSONDecoder().decode(HeavyHitters.self, from: JSONEncoder().encode(h))
        #expect(decoded == h && decoded.top(5).map(\.value) == h.top(5).map(\.value))
    }

    @Test func exactWhileDistinctValuesFit() {
        var h = HeavyHitters(capacity: 10)
        let values = (0..<1000).map { "v\($0 * $0 % 7)" }
        for v in values { h.add(v) }
        var exact: [String: Int] = [:]
        for v in values { exact[v, default: 0] += 1 }
        #expect(h.maxError == 0)
        #expect(h.counters == exact)
    }

    @Test func countsAreWithinTheBoundOnAZipfStream() {
        var rng = SeededGenerator(seed: 4)
        var exact: [String: Int] = [:]
        var h = HeavyHitters()
        let n = 200_000
        for _ in 0..<n {
            let v = "m\(Int(1 / max(rng.unit(), 1e-9)) % 50_000)"  // a heavy head and a long tail
            exact[v, default: 0] += 1
            h.add(v)
        }
        #expect(h.maxError <= n / (h.capacity + 1))
        for (v, c) in h.counters {
            #expect(c <= exact[v]! && c >= exact[v]! - h.maxError, "\(v)")
        }
        // Every value more frequent than the bound is held, so the true top values are found.
        let trueTop = exact.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)
        for (v, c) in trueTop where c > h.maxError { #expect(h.counters[v] != nil, "\(v) (\(c))") }
        #expect(h.top(3).map(\.value) == trueTop.prefix(3).map(\.key))
    }

    @Test func mergedSummariesKeepTheBound() {
        var rng = SeededGenerator(seed: 9)
        var parts = (0..<8).map { _ in HeavyHitters() }
        var exact: [String: Int] = [:]
        let n = 100_000
        for i in 0..<n {
            let v = "c\(Int(pow(rng.unit(), 4) * 5000))"
            exact[v, default: 0] += 1
            parts[i % 8].add(v)
        }
        var merged = HeavyHitters()
        for p in parts { merged.merge(p) }
        #expect(merged.maxError <= n / (merged.capacity + 1) * 2)
        for (v, c) in merged.counters { #expect(c <= exact[v]! && c >= exact[v]! - merged.maxError) }
    }
}

@Suite struct HeavyHitterMemoryTests {
    @Test func longValuesAreKeptByTheirPrefixSoMemoryStaysBounded() {
        var h = HeavyHitters()
        let long = String(repeating: "é", count: 1000)  // 2,000 bytes
        h.add(long + "a")
        h.add(long + "b")
        #expect(h.counters.count == 1)
        let key = h.counters.keys.first!
        #expect(key.utf8.count <= HeavyHitters.maxValueBytes && key.utf8.count >= HeavyHitters.maxValueBytes - 1)
        #expect(long.hasPrefix(key), "cut on a character boundary")
        #expect(h.counters[key] == 2)
    }

    @Test func aMillionDistinctValuesStayInsideTheBound() {
        var c = CategoricalAccumulator()
        for i in 0..<1_000_000 { c.add("id-\(i % 1_000_000)-\(i % 7)") }
        #expect(c.heavyHitters.counters.count <= 2 * HeavyHitters.defaultCapacity)
        #expect(!c.distinctCounter.isExact)
        let error = abs(Double(c.distinct - 1_000_000)) / 1_000_000
        #expect(error <= 0.02)
    }
}
