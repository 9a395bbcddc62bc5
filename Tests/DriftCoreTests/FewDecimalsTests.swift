import DriftCore
import Testing

/// ``FewDecimals`` against `Double.description`, the text it stands in for in metric lines.
@Suite struct FewDecimalsTests {
    /// xorshift64*: a fixed sequence, so that a failure reproduces.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    /// The text `write` gives, or nil.
    static func text(_ x: Double) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: FewDecimals.maxBytes) { out in
            FewDecimals.write(x, into: out.baseAddress!).map {
                String(decoding: UnsafeBufferPointer(rebasing: out[..<$0]), as: UTF8.self)
            }
        }
    }

    /// Checks every value; returns how many `write` took.
    static func check(_ values: [Double]) -> Int {
        var taken = 0
        for x in values {
            guard let text = text(x) else { continue }
            taken += 1
            if text != x.description {
                Issue.record("\(x.bitPattern): wrote \(text), description is \(x.description)")
                return taken
            }
        }
        return taken
    }

    @Test func decimalsOfEveryLengthAndMagnitude() {
        var rng = Rng(state: 0x9E37_79B9_7F4A_7C15)
        var values: [Double] = []
        for _ in 0..<300_000 {
            let decimals = Int(rng.next() % 10)  // 0 to 9: past maxDecimals too
            let digits = 1 + Int(rng.next() % 17)
            var m: UInt64 = 1
            for _ in 0..<digits { m = m &* 10 }
            let x = Double(rng.next() % m) / Self.pow10(decimals)
            values.append(rng.next() % 4 == 0 ? -x : x)
        }
        let taken = Self.check(values)
        #expect(taken > 100_000, "most values with few decimals are written here (\(taken))")
    }

    @Test func arbitraryDoublesAndComputedOnes() {
        var rng = Rng(state: 42)
        var values: [Double] = []
        for _ in 0..<200_000 {
            let bits = Double(bitPattern: rng.next())
            if bits.isFinite { values.append(bits) }
            // Means and sums, as a window computes them: 17 significant digits.
            let a = Double(rng.next() % 100_000) / 100
            let b = Double(rng.next() % 1_000) / 10
            values += [a + b, a / 3, (a + b) / 7, a * 0.1, 0.1 + a / 1000]
        }
        _ = Self.check(values)
    }

    @Test func boundaries() {
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 0.1 + 0.2, 1e15, 4e15, 9e15, 1e16, 4.5e15]
        for e in -6...16 {
            let p = Self.pow10(e)
            for x in [p, p.nextUp, p.nextDown, p * 0.999_999_5, p * 1.000_000_5, 0.001, 0.000_999_999_999] {
                values += [x, -x]
            }
        }
        for e in -12...53 {
            let p = Double(sign: .plus, exponent: e, significand: 1)
            values += [p, p.nextUp, p.nextDown, -p]
        }
        for m in stride(from: 999_990, through: 1_000_010, by: 1) {
            for d in 0...8 { values.append(Double(m) / Self.pow10(d)) }
        }
        _ = Self.check(values)
        #expect(Self.text(1_000_000_000_000_000) == nil, "10^15 and above: left to description")
        #expect(Self.text(0.000_99) == nil, "below 0.001: left to description")
        #expect(Self.text(430.42) == "430.42" && Self.text(-7) == "-7.0" && Self.text(0.005) == "0.005")
    }

    static func pow10(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(e) { p *= 10 }
        return e < 0 ? 1 / p : p
    }
}
