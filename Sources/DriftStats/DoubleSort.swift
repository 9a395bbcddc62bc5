/// Sorts doubles in place, ascending: an LSD radix sort on the doubles' order-preserving 64-bit keys, with
/// insertion sort for short arrays.
///
/// KLL compaction sorts level 0 (k numbers, 400 by default) every few hundred values, on the aggregation threads.
/// A comparison sort of random data mispredicts about every other branch; the radix sort has no data-dependent
/// branches, and it skips the byte positions where all keys agree (the sign and exponent bytes of values of
/// one feature mostly do). It sorts by the three highest varying bytes only and lets an insertion sort settle the
/// keys that tie there (it falls back to every byte when they are many): with four bytes its share of replay's CPU
/// went from 6.5% to 3.5% (perf), and three took another 12 ns per record off aggregation (`stage-times`; two
/// bytes leave too many ties). docs/benchmarks.md has the figures. Both sorts order the keys, so `-0.0` sorts
/// before `0.0` (they are equal as doubles). Finite values only. Differentially tested against `sort()`.
public enum DoubleSort {
    /// Below this many values, insertion sort beats the radix sort's fixed cost (a 256-entry histogram per pass).
    static let insertionLimit = 48

    public static func sort(_ a: inout [Double]) {
        a.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress, b.count > 1 else { return }
            sortKeys(base, b.count)
        }
    }

    /// The key whose unsigned order is the doubles' order: flip every bit of a negative value, only the sign
    /// bit of a positive one.
    @inline(__always) static func key(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }

    @inline(__always) static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key)
    }

    /// Sorts the doubles' keys (so `-0.0` comes before `0.0` whatever the length), then writes the doubles back.
    private static func sortKeys(_ a: UnsafeMutablePointer<Double>, _ n: Int) {
        withSortedKeys(of: UnsafeBufferPointer(start: a, count: n)) { keys in
            for i in 0..<n { a[i] = value(keys[i]) }
        }
    }

    /// Calls `body` with the keys of `values` in ascending order (``value(_:)`` gives a key's double back), and
    /// leaves `values` as they are: a window's quantiles need nine ranks, not a sorted copy of its values.
    static func withSortedKeys<R>(of values: UnsafeBufferPointer<Double>, _ body: (UnsafeBufferPointer<UInt64>) -> R)
        -> R
    {
        let n = values.count
        return withRoom(forKeys: n) { keys in
            var source = keys
            var target = source + n
            var allOnes = UInt64.max
            var anyOnes: UInt64 = 0
            for i in 0..<n {
                let k = key(values[i])
                source[i] = k
                allOnes &= k
                anyOnes |= k
            }
            if n <= insertionLimit {
                if n > 1 { _ = insertionSort(source, n, maxMoves: .max) }
            } else {
                radixSort(&source, &target, n, varying: allOnes ^ anyOnes)
            }
            return body(UnsafeBufferPointer(start: source, count: n))
        }
    }

    /// Calls `body` with room for `2 * n` keys, on the stack up to ``stackKeys``: on Linux,
    /// `withUnsafeTemporaryAllocation` takes the heap beyond 1,024 bytes, and a window's quantiles (a 1m window of
    /// one of 1,000 models holds about 120 values) and every compaction of a sketch's level 0 (k = 400 values)
    /// took a block of several KiB from malloc, too large for its per-thread cache.
    private static func withRoom<R>(forKeys n: Int, _ body: (UnsafeMutablePointer<UInt64>) -> R) -> R {
        if 2 * n * MemoryLayout<UInt64>.stride <= 1024 || 2 * n > stackKeys {
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Swift.max(1, 2 * n)) {
                body($0.baseAddress!)
            }
        }
        var room = InlineArray<1024, UInt64>(repeating: 0)
        return withUnsafeMutablePointer(to: &room) {
            body(UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt64.self))
        }
    }

    /// Keys sorted in room on the stack (8 KiB): twice level 0 at the default k.
    static let stackKeys = 1024

    /// Radix passes over the keys in `source` (leaving them sorted there), `target` the scratch; `varying` has the
    /// bits where some keys differ.
    private static func radixSort(
        _ source: inout UnsafeMutablePointer<UInt64>,
        _ target: inout UnsafeMutablePointer<UInt64>, _ n: Int, varying: UInt64
    ) {
        // Bytes where every key agrees need no pass (the sign and exponent of one feature's values mostly do).
        guard varying != 0 else { return }  // all the same value
        // Counts of 32 bits (fewer than 2^32 keys: 32 GiB of doubles): 1 KiB, on the stack (``withRoom(forKeys:_:)``).
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 256) { histogram in
            // Sort by the three highest varying bytes only. Keys that tie on those (rare unless the data is
            // clustered) are then put in order by an insertion sort, which gives up, for passes over the
            // remaining bytes, when the ties make it long.
            let highest = (63 - varying.leadingZeroBitCount) / 8
            let lowest = max(0, highest - 2)
            for byte in lowest...highest { pass(byte, varying, histogram.baseAddress!, &source, &target, n) }
            if lowest > 0 && !insertionSort(source, n, maxMoves: 4 * n) {
                for byte in 0..<lowest { pass(byte, varying, histogram.baseAddress!, &source, &target, n) }
                for byte in lowest...highest { pass(byte, varying, histogram.baseAddress!, &source, &target, n) }
            }
        }
    }

    /// One stable counting pass on `byte` of the keys in `source`, leaving them in `source`; none when every
    /// key has the same byte there.
    @inline(__always)
    private static func pass(
        _ byte: Int, _ varying: UInt64, _ histogram: UnsafeMutablePointer<UInt32>,
        _ source: inout UnsafeMutablePointer<UInt64>, _ target: inout UnsafeMutablePointer<UInt64>,
        _ n: Int
    ) {
        let shift = UInt64(byte * 8)
        guard (varying >> shift) & 0xFF != 0 else { return }
        histogram.initialize(repeating: 0, count: 256)
        for i in 0..<n { histogram[Int((source[i] >> shift) & 0xFF)] &+= 1 }
        var sum: UInt32 = 0
        for digit in 0..<256 {
            let c = histogram[digit]
            histogram[digit] = sum
            sum &+= c
        }
        for i in 0..<n {
            let k = source[i]
            let digit = Int((k >> shift) & 0xFF)
            target[Int(histogram[digit])] = k
            histogram[digit] &+= 1
        }
        swap(&source, &target)
    }

    /// Insertion sort of keys that are nearly in order; false (the keys still a permutation, partly sorted) when
    /// it would move more than `maxMoves` keys.
    private static func insertionSort(_ a: UnsafeMutablePointer<UInt64>, _ n: Int, maxMoves: Int) -> Bool {
        var moves = 0
        for i in 1..<n {
            let x = a[i]
            var j = i - 1
            while j >= 0 && a[j] > x {
                a[j + 1] = a[j]
                j -= 1
            }
            a[j + 1] = x
            moves += i - 1 - j
            if moves > maxMoves { return false }
        }
        return true
    }
}
