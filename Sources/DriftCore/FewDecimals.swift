/// The text `Double.description` gives a double that has few decimals (a price, a rounded quantile, a count's
/// mean): written from integers, without the general shortest-digits algorithm or a String.
///
/// A metric line holds a dozen doubles, and `description` took about 600 instructions each (a third of encoding
/// a line, for thousands of models). Quantiles of prices, amounts and counts have a short exact decimal: 430.42
/// is the double nearest to 43042/100. For d = 0, 1, … ``maxDecimals``, if m = x·10^d rounded reads back as x
/// (m / 10^d is correctly rounded, as parsing is), that m with d decimals is the shortest text of x; it is the
/// only one with d decimals while the doubles around x are closer together than 10^-d. Anything else (more
/// decimals, very small or very large magnitudes, which `description` writes with an exponent) is left to
/// `description`. Tested against it on 1.5 million values (FewDecimalsTests).
public enum FewDecimals {
    /// The most decimals tried: prices and rounded measurements have fewer; a 17-digit value (a mean, a model's
    /// score) goes to `description` after seven tries.
    public static let maxDecimals = 6
    /// The bytes ``write(_:into:)`` may use.
    public static let maxBytes = 24

    /// Writes the text of `x` into `out` (room for ``maxBytes``) and returns its length; nil when `x` has more
    /// than ``maxDecimals`` decimals or a magnitude outside [0.001, 10^15).
    public static func write(_ x: Double, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        let magnitude = x.magnitude
        // Inside these bounds `description` writes no exponent (it does below 0.0001 and above 2^53).
        guard magnitude >= 0.001, magnitude < 1e15 else { return nil }
        var scale = 1.0
        var unit: UInt64 = 1
        for decimals in 0...maxDecimals {
            let scaled = magnitude * scale
            // Below 2^51, x·10^d is within half a unit of the nearest integer, and the doubles around x are less
            // than half of 10^-d apart (their spacing is at most x·2^-52).
            guard scaled < 2_251_799_813_685_248 else { return nil }
            let m = Int64(scaled + 0.5)  // a candidate is within a hair of an integer: any rounding finds it
            if Double(m) / scale == magnitude {
                return format(UInt64(m), decimals: decimals, unit: unit, negative: x < 0, into: out)
            }
            scale *= 10
            unit *= 10
        }
        return nil
    }

    /// `m` / `unit` (10^`decimals`) with `decimals` digits after the point, or ".0" when there are none.
    static func format(
        _ m: UInt64, decimals: Int, unit: UInt64, negative: Bool, into out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var n = 0
        if negative {
            out[0] = UInt8(ascii: "-")
            n = 1
        }
        let (whole, fraction) = m.quotientAndRemainder(dividingBy: unit)
        var rest = whole
        var digits = 1
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        n += digits
        var i = n
        rest = whole
        repeat {
            i -= 1
            out[i] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0
        out[n] = UInt8(ascii: ".")
        n += 1
        guard decimals > 0 else {
            out[n] = UInt8(ascii: "0")
            return n + 1
        }
        rest = fraction
        i = n + decimals
        for _ in 0..<decimals {
            i -= 1
            out[i] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        return n + decimals
    }
}
