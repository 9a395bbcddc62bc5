/// Equality of short byte strings (names, keys), for the hot path.
enum ShortBytes {
    /// True when the `bytes.count` bytes at `stored` are `bytes`. Names are short: they are compared a word at a
    /// time, the last word overlapping the one before (and shorter names by two overlapping loads of 4, 2 or 1
    /// bytes), so that no loop runs a number of times that depends on the length.
    @inline(__always)
    static func equal(_ stored: UnsafeRawPointer, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        func differ<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> Bool {
            stored.loadUnaligned(fromByteOffset: at, as: T.self) != base.loadUnaligned(fromByteOffset: at, as: T.self)
        }
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if differ(i, UInt64.self) { return false }
                i += 8
            }
            return !differ(n - 8, UInt64.self)
        }
        if n >= 4 { return !differ(0, UInt32.self) && !differ(n - 4, UInt32.self) }
        if n >= 2 { return !differ(0, UInt16.self) && !differ(n - 2, UInt16.self) }
        return n == 0 || !differ(0, UInt8.self)
    }
}
