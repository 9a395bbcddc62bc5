/// Eisel and Lemire's conversion of a decimal with an exact 64-bit mantissa (up to 19 digits) to the correctly
/// rounded double, without the C library: the mantissa times a 128-bit approximation of the power of ten, of which
/// the top 54 bits give the double whenever the approximation's error cannot reach them.
///
/// Python's `json.dumps` writes every float with as many digits as it takes to read back, 17 for most: outside
/// Clinger's fast path (mantissas under 2^53), they went to `strtod`, whose multi-precision path took 7% of the
/// CPU of replaying the realistic benchmark. Checked against Swift's `Double(String)` in `JSONTapeTests`.
extension JSONTapeParser {
    /// `mantissa` × 10^`exponent`, or nil when the approximation cannot decide (a tie or near one, a subnormal or
    /// infinite result, an exponent outside the table): then the caller falls back to `strtod`.
    @inline(__always)
    static func eiselLemire(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        guard mantissa != 0 else { return 0 }
        guard powersOfTen128Range.contains(exponent) else { return nil }
        let zeros = mantissa.leadingZeroBitCount
        let w = mantissa << UInt64(zeros)
        let entry = 2 * (exponent - powersOfTen128Range.lowerBound)
        // The 192-bit product P = w × T, T the table's 128 bits: the true product is within w < 2^64 below it
        // (T is rounded down by less than 1).
        let x = w.multipliedFullWidth(by: powersOfTen128[entry])
        let y = w.multipliedFullWidth(by: powersOfTen128[entry + 1])
        let (middle, carry) = x.low.addingReportingOverflow(y.high)
        let top = x.high &+ (carry ? 1 : 0)  // P < 2^192: no overflow
        // P is in [2^190, 2^192): the double's 53 bits and a rounding bit are the 54 from its top bit.
        let high = Int(top >> 63)
        let cut = UInt64(9 + high)
        let rest = top & ((1 << cut) - 1)
        // The bits below those 54: when within 2^64 of zero or of the next step, the true product may fall on the
        // other side (or be a tie, which rounds to even): undecided.
        if rest == 0 && middle == 0 { return nil }
        if rest == (1 << cut) - 1 && middle == .max { return nil }
        var bits = top >> cut
        bits = (bits + (bits & 1)) >> 1  // to nearest (no tie is left)
        var biased = (217_706 * exponent) >> 16 + 1086 + high - zeros
        if bits >> 53 != 0 {
            bits >>= 1
            biased += 1
        }
        guard biased >= 1 && biased <= 2046 else { return nil }
        return Double(bitPattern: UInt64(biased) << 52 | (bits & ((1 << 52) - 1)))
    }
}
