import DriftCore
import Foundation
import Testing

@testable import DriftStats

/// The categorical state keeps no set of hashes while its heavy hitters count every distinct value; these tests
/// hold it to what a set of the values gives, at every size around the points where the set starts.
@Suite struct CategoricalAccumulatorTests {
    /// Streams of up to 2,048 distinct values (some longer than the heavy hitters keep, some sharing their kept
    /// prefix) have their exact distinct count after every value, and the same state as one whose set started
    /// with the first value (the form a checkpoint restores).
    @Test(arguments: [(UInt64(1), 40), (2, 129), (3, 300), (4, 2_048)])
    func theDistinctCountIsExactAfterEveryValue(seed: UInt64, cardinality: Int) throws {
        var rng = SplitMix64(seed: seed)
        let long = String(repeating: "x", count: HeavyHitters.maxValueBytes)
        var c = CategoricalAccumulator()
        var seen = Set<String>()
        for i in 0..<(3 * cardinality) {
            let k = Int(rng.next() % UInt64(cardinality))
            // Every 97th value long: two such values share the heavy hitters' counter but not their hash.
            let value = i % 97 == 50 ? long + "\(k)" : "v\(k)"
            c.add(value)
            seen.insert(value)
            if i % 7 == 0 || i > 3 * cardinality - 3 { #expect(c.distinct == seen.count, "after \(i + 1) values") }
        }
        #expect(c.distinctCounter.isExact && c.distinctCounter.estimate == seen.count)
        let restored = try JSONDecoder().decode(CategoricalAccumulator.self, from: JSONEncoder().encode(c))
        #expect(restored == c && restored.distinct == c.distinct)
    }

    /// Below the point where the set starts, merging two partials counts the union exactly; and a window that
    /// never started its set equals one that did, value for value.
    @Test func partialsMergeToTheUnion() {
        var a = CategoricalAccumulator()
        var b = CategoricalAccumulator()
        for i in 0..<50 { a.add("a\(i % 30)") }
        for i in 0..<50 { b.add("a\(i % 45 + 20)") }
        var merged = a
        merged.merge(b)
        #expect(merged.distinct == 65)
        #expect(merged.count == 100)
        var whole = CategoricalAccumulator()
        for i in 0..<50 { whole.add("a\(i % 30)") }
        for i in 0..<50 { whole.add("a\(i % 45 + 20)") }
        #expect(whole.distinct == 65 && whole.distinctCounter == merged.distinctCounter)
    }

    /// A window fed from five finer ones (a 5m window of 1m windows) counts the union of their values exactly,
    /// whether the union stays under the heavy hitters' capacity (no set is made) or passes it (some counters are
    /// dropped); and values added after the merges still count exactly past the point where the set starts.
    @Test(arguments: [(UInt64(5), 10), (6, 60), (7, 64), (8, 70), (9, 400)])
    func aWindowFedFromFinerOnesCountsTheUnionExactly(seed: UInt64, cardinality: Int) throws {
        var rng = SplitMix64(seed: seed)
        var fed = CategoricalAccumulator()
        var whole = CategoricalAccumulator()
        var seen = Set<String>()
        for part in 1...5 {
            var finer = CategoricalAccumulator()
            for _ in 0..<40 {
                let value = "v\(rng.next() % UInt64(cardinality))"
                finer.add(value)
                whole.add(value)
                seen.insert(value)
            }
            fed.merge(finer)
            #expect(fed.distinct == seen.count, "after \(part) windows")
            #expect(fed.count == 40 * part)
        }
        if seen.count <= HeavyHitters.defaultCapacity {
            // Nothing dropped: the counts are the values' exact counts.
            #expect(fed.top(100).map(\.value) == whole.top(100).map(\.value))
            #expect(fed.top(100).map(\.count) == whole.top(100).map(\.count))
        }
        for i in 0..<300 {
            let value = "w\(i % 150)"
            fed.add(value)
            seen.insert(value)
            if i % 10 == 0 || i == 299 { #expect(fed.distinct == seen.count, "after \(i + 1) values added") }
        }
        let restored = try JSONDecoder().decode(CategoricalAccumulator.self, from: JSONEncoder().encode(fed))
        #expect(restored == fed && restored.distinct == seen.count)
    }

    /// Past 2,048 distinct values the count is HyperLogLog's, as before: the set started and switched.
    @Test func pastTheExactLimitTheSketchCounts() {
        var c = CategoricalAccumulator()
        for i in 0..<10_000 { c.add("id-\(i)") }
        #expect(!c.distinctCounter.isExact)
        #expect(abs(Double(c.distinct - 10_000)) / 10_000 <= 0.02)
    }

    /// Values logged (a few at a time to many windows) and values added at once give the same state, read at any
    /// point: the log is applied before anything is read, in the order the values came.
    @Test func loggedValuesGiveTheStateOfValuesAddedAtOnce() throws {
        var rng = SplitMix64(seed: 9)
        var logged = CategoricalAccumulator()
        var direct = CategoricalAccumulator()
        let long = String(repeating: "y", count: 300)
        for i in 0..<5_000 {
            let k = rng.next() % (i < 2_000 ? 90 : 3_000)
            let value = i % 211 == 7 ? long + "\(k)" : "c\(k)"
            var bytes = value
            // Mixed, as a window gets values logged in one batch and at once in another.
            bytes.withUTF8 { b in
                if rng.next() % 4 == 0 {
                    logged.add(bytes: UnsafeRawBufferPointer(b))
                } else {
                    logged.log(bytes: UnsafeRawBufferPointer(b))
                }
            }
            direct.add(value)
            if i % 97 == 0 || i == 4_999 {
                #expect(logged.distinct == direct.distinct, "after \(i + 1)")
                #expect(logged.top(10).map(\.value) == direct.top(10).map(\.value))
                #expect(logged.top(10).map(\.count) == direct.top(10).map(\.count))
                #expect(logged.heavyHitters == direct.heavyHitters && logged.count == direct.count)
            }
        }
        #expect(logged == direct)
        let restored = try JSONDecoder().decode(CategoricalAccumulator.self, from: JSONEncoder().encode(logged))
        #expect(restored == direct)
        var settled = logged
        settled.settle()
        #expect(settled == direct && settled.distinctCounter == direct.distinctCounter)
    }

    /// Empty values and values of every length up to a few hundred bytes are logged and read back as they were
    /// given, across the log's growth.
    @Test func valuesOfEveryLengthAreLoggedAsGiven() {
        var logged = CategoricalAccumulator()
        var direct = CategoricalAccumulator()
        for i in 0..<300 {
            var value = String(repeating: "é", count: i % 150 / 2) + (i % 3 == 0 ? "" : "\(i % 11)")
            value.withUTF8 { logged.log(bytes: UnsafeRawBufferPointer($0)) }
            direct.add(value)
        }
        #expect(logged == direct)
        #expect(logged.distinct == direct.distinct && logged.count == 300)
        #expect(logged.top(5).map(\.value) == direct.top(5).map(\.value))
    }

    /// The log holds at most 64 values or a little over 4 KiB, whichever comes first: long values (500 bytes, past
    /// what the heavy hitters keep) are applied after the ninth, short ones after the sixty-fourth, and the state
    /// is the one of the same values added at once.
    @Test func theLogIsAppliedAtSixtyFourValuesOrFourKiB() throws {
        var logged = CategoricalAccumulator()
        var direct = CategoricalAccumulator()
        var expected = 0
        for i in 0..<20 {
            var value = String(repeating: "z", count: 500) + "\(i)"
            value.withUTF8 { logged.log(bytes: UnsafeRawBufferPointer($0)) }
            direct.add(value)
            expected += 4 + value.utf8.count  // a length, then the bytes
            if expected > 4_096 { expected = 0 }  // the ninth long value takes it past 4 KiB
            #expect(logged.loggedBytes == expected, "after \(i + 1)")
        }
        #expect(logged.loggedBytes == 2 * 506, "20 values: applied after the 9th and the 18th")
        #expect(logged == direct && logged.distinct == 20)
        var short = CategoricalAccumulator()
        for i in 0..<130 {
            var value = "v\(i % 7)"
            value.withUTF8 { short.log(bytes: UnsafeRawBufferPointer($0)) }
            #expect((short.loggedBytes == 0) == ((i + 1) % CategoricalAccumulator.logLimit == 0), "after \(i + 1)")
        }
        #expect(short.count == 130 && short.distinct == 7)
    }
}
