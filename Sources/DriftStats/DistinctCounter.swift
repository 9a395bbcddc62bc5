import Foundation

/// Counts distinct values: exactly while there are at most ``exactLimit`` of them, then with a HyperLogLog
/// sketch of 2^14 registers read by Ertl's improved estimator (standard error 0.81%; the tests measure under 2%
/// from 1 to 2,000,000 distinct values).
///
/// Values are identified by their XXH64 hash, so the state — and the estimate — depends only on the set of values
/// seen: merging partials in any order gives the same answer. Memory: at most 16 KiB of registers, or the exact
/// set of up to 2,048 hashes.
public struct DistinctCounter: Sendable {
    public static let precision = 14
    public static let registerCount = 1 << precision
    public static let exactLimit = 2048

    private var exact: HashSet64? = HashSet64()
    private var registers: [UInt8] = []

    public init() {}

    init(exactHashes: [UInt64]) {
        var set = HashSet64()
        for h in exactHashes { set.insert(h) }
        exact = set
    }

    init(registers: [UInt8]) {
        exact = nil
        self.registers = registers
    }

    /// The exact set's hashes, ascending; nil once counting with registers.
    var exactHashes: [UInt64]? { exact?.sortedElements }
    var registerBytes: [UInt8] { registers }

    public mutating func add(_ value: String) {
        add(hash: XXH64.hash(value))
    }

    public mutating func add(hash: UInt64) {
        if exact != nil {
            exact!.insert(hash)
            if exact!.count > Self.exactLimit { switchToRegisters() }
        } else {
            addToRegisters(hash)
        }
    }

    public mutating func merge(_ other: DistinctCounter) {
        if let theirs = other.exact {
            // In any order: the set, and the registers it may switch to, depend only on which hashes were added
            // (sorting them first was a third of the merge of a 1m window into its 5m window).
            theirs.visitElements { add(hash: $0) }
            return
        }
        if exact != nil { switchToRegisters() }
        for i in 0..<Self.registerCount where other.registers[i] > registers[i] { registers[i] = other.registers[i] }
    }

    /// True while the count is exact.
    public var isExact: Bool { exact != nil }

    /// The number of distinct values (exact, or the estimate rounded to an integer).
    public var estimate: Int {
        if let exact { return exact.count }
        return Int(Self.ertlEstimate(registers).rounded())
    }

    private mutating func switchToRegisters() {
        registers = [UInt8](repeating: 0, count: Self.registerCount)
        for h in exact?.sortedElements ?? [] { addToRegisters(h) }
        exact = nil
    }

    private mutating func addToRegisters(_ hash: UInt64) {
        let index = Int(hash >> UInt64(64 - Self.precision))
        let rest = hash << UInt64(Self.precision)
        let rank = UInt8(Swift.min(rest.leadingZeroBitCount, 64 - Self.precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// Ertl, "New cardinality estimation algorithms for HyperLogLog sketches" (2017), the improved raw estimator:
    /// unbiased over the whole range without empirical correction tables.
    static func ertlEstimate(_ registers: [UInt8]) -> Double {
        let q = 64 - precision
        let m = Double(registers.count)
        var histogram = [Double](repeating: 0, count: q + 2)
        for r in registers { histogram[Int(r)] += 1 }
        var z = m * tau(1 - histogram[q + 1] / m)
        for k in stride(from: q, through: 1, by: -1) { z = 0.5 * (z + histogram[k]) }
        z += m * sigma(histogram[0] / m)
        return m * m / (2 * log(2.0)) / z
    }

    static func sigma(_ x0: Double) -> Double {
        if x0 == 1 { return .infinity }
        var x = x0
        var y = 1.0
        var z = x
        while true {
            x *= x
            let previous = z
            z += x * y
            y += y
            if z == previous { return z }
        }
    }

    static func tau(_ x0: Double) -> Double {
        if x0 == 0 || x0 == 1 { return 0 }
        var x = x0
        var y = 1.0
        var z = 1 - x
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
            if z == previous { return z / 3 }
        }
    }
}

extension DistinctCounter: Hashable {
    public static func == (a: DistinctCounter, b: DistinctCounter) -> Bool {
        a.exactHashes == b.exactHashes && a.registers == b.registers
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(exactHashes)
        hasher.combine(registers)
    }
}
