/// A HyperLogLog sketch in Apache DataSketches' HLL_8 form (one byte per register, 2^lgK registers), fed with
/// ``MurmurHash3`` hashes as DataSketches feeds its own, so that its image (``serialized()``) merges with sketches
/// made by DataSketches, Spark SQL's `hll_union_agg` or another driftd (DESIGN §6). Pure.
public struct HLL8Sketch: Hashable, Sendable {
    public static let defaultLgK = 12
    public let lgK: Int
    /// Registers allocated at the first value: an empty sketch costs nothing.
    public internal(set) var registers: [UInt8] = []

    public init(lgK: Int = HLL8Sketch.defaultLgK) {
        precondition((4...21).contains(lgK), "DataSketches takes lgK 4...21")
        self.lgK = lgK
    }

    public var isEmpty: Bool { registers.isEmpty }

    /// Counts a value by its hash halves: slot from the first, value from the second's leading zeros (as
    /// DataSketches' coupons: at most 63).
    public mutating func add(hash: (UInt64, UInt64)) {
        if registers.isEmpty { registers = [UInt8](repeating: 0, count: 1 << lgK) }
        let slot = Int(truncatingIfNeeded: hash.0) & ((1 << lgK) - 1)
        let value = UInt8(Swift.min(hash.1.leadingZeroBitCount, 62) + 1)
        if value > registers[slot] { registers[slot] = value }
    }

    /// A UTF-8 text value (categorical); DataSketches ignores empty strings.
    public mutating func add(text: UnsafeRawBufferPointer) {
        guard !text.isEmpty else { return }
        add(hash: MurmurHash3.hash128(text))
    }

    public mutating func add(text: String) {
        var text = text
        text.withUTF8 { add(text: UnsafeRawBufferPointer($0)) }
    }

    /// A number, hashed as DataSketches hashes a double (so 3 and 3.0 are one value).
    public mutating func add(number: Double) { add(hash: MurmurHash3.hash128(double: number)) }

    /// The union: each register's maximum. Both sides must have the same lgK.
    public mutating func merge(_ other: HLL8Sketch) {
        precondition(other.lgK == lgK, "HLL sketches of different lgK")
        guard !other.registers.isEmpty else { return }
        if registers.isEmpty {
            registers = other.registers
            return
        }
        for i in registers.indices where other.registers[i] > registers[i] { registers[i] = other.registers[i] }
    }

    /// The distinct-count estimate: HyperLogLog's raw estimate with linear counting for small ranges (what
    /// DataSketches' composite estimator approximates; within its ±3% at lgK 12 on the tests' data).
    public var estimate: Double {
        guard !registers.isEmpty else { return 0 }
        let k = Double(registers.count)
        var sum = 0.0
        var zeros = 0
        for r in registers {
            sum += 1 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / k)
        let raw = alpha * k * k / sum
        if raw <= 2.5 * k && zeros > 0 { return k * log(k / Double(zeros)) }
        return raw
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
