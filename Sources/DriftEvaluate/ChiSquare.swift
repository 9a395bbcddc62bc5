#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The chi-square distribution's survival function, through the regularized upper incomplete gamma function
/// Q(a, x) = Γ(a, x) / Γ(a): a power series below x = a + 1, Lentz's continued fraction above (both converge
/// fast there). Accurate to about 1e-14 relative, checked against scipy in the tests.
public enum ChiSquare {
    /// P(X ≥ x) for X ~ χ²(degreesOfFreedom).
    public static func survival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        guard k > 0 else { return .nan }
        guard x > 0 else { return 1 }
        return upperRegularizedGamma(Double(k) / 2, x / 2)
    }

    static func upperRegularizedGamma(_ a: Double, _ x: Double) -> Double {
        if x < a + 1 { return Swift.max(0, 1 - lowerSeries(a, x)) }
        return continuedFraction(a, x)
    }

    /// P(a, x) by its series: e^−x x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n)).
    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var n = 1.0
        while n < 10_000 {
            term *= x / (a + n)
            sum += term
            if abs(term) < abs(sum) * 1e-16 { break }
            n += 1
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    /// Q(a, x) by its continued fraction, evaluated with the modified Lentz method.
    private static func continuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 10_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}
