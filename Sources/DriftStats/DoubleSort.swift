/// Sorts doubles in place, ascending: quicksort with a median-of-three pivot, insertion sort for short runs.
///
/// KLL compaction sorts a level of a few hundred numbers every few hundred values, on the aggregation thread
/// that bounds replay's speed. Equal doubles may end up in any order (they are equal). Finite values only.
/// Differentially tested against `sort()`.
public enum DoubleSort {
    public static func sort(_ a: inout [Double]) {
        a.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress, b.count > 1 else { return }
            quicksort(base, 0, b.count - 1)
        }
    }

    private static func quicksort(_ a: UnsafeMutablePointer<Double>, _ lo0: Int, _ hi0: Int) {
        var lo = lo0
        var hi = hi0
        while hi - lo > 24 {
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { exchange(a, mid, lo) }
            if a[hi] < a[lo] { exchange(a, hi, lo) }
            if a[hi] < a[mid] { exchange(a, hi, mid) }
            let pivot = a[mid]
            var i = lo
            var j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    exchange(a, i, j)
                    i += 1
                    j -= 1
                }
            }
            // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
            if j - lo < hi - i {
                quicksort(a, lo, j)
                lo = i
            } else {
                quicksort(a, i, hi)
                hi = j
            }
        }
        guard hi > lo else { return }
        for i in (lo + 1)...hi {
            let x = a[i]
            var j = i - 1
            while j >= lo && a[j] > x {
                a[j + 1] = a[j]
                j -= 1
            }
            a[j + 1] = x
        }
    }

    @inline(__always) private static func exchange(_ a: UnsafeMutablePointer<Double>, _ i: Int, _ j: Int) {
        let t = a[i]
        a[i] = a[j]
        a[j] = t
    }
}
