import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A HyperLogLog sketch in Apache DataSketches' HLL_8 form (one byte per register, 2^lgK registers), fed with
/// ``MurmurHash3`` hashes as DataSketches feeds its own, so that its image (``serialized()``) merges with sketches
/// made by DataSketches, Spark SQL's `hll_union_agg` or another driftd (DESIGN §6). Pure.
///
/// Like DataSketches' own, a sketch that saw few values keeps their coupons (slot and value, 4 bytes each) and
/// takes its 4 KiB of registers only past ``maxCoupons``: a window of a hundred values costs about a hundred
/// values, so thousands of models' windows fit (DESIGN §4).
public struct HLL8Sketch: Sendable {
    public static let defaultLgK = 12
    /// Distinct coupons kept before registers are made (in a table of twice as many slots: 1 KiB at most).
    public static let maxCoupons = 192
    public let lgK: Int
    /// Distinct coupons — the slot in the low 26 bits, the value in the high 6 (DataSketches' coupon layout; never
    /// 0) — in an open-addressing table whose empty slots are 0, indexed by the coupon's own hash bits.
    @usableFromInline var coupons: [UInt32] = []
    @usableFromInline var couponCount = 0
    /// The registers, once made (empty before).
    @usableFromInline var dense: [UInt8] = []

    public init(lgK: Int = HLL8Sketch.defaultLgK) {
        precondition((4...21).contains(lgK), "DataSketches takes lgK 4...21")
        self.lgK = lgK
    }

    public var isEmpty: Bool { couponCount == 0 && dense.isEmpty }

    /// Every register (2^lgK of them; none when empty).
    public var registers: [UInt8] {
        if !dense.isEmpty || couponCount == 0 { return dense }
        var r = [UInt8](repeating: 0, count: 1 << lgK)
        Self.apply(coupons, to: &r, lgK: lgK)
        return r
    }

    static func apply(_ coupons: [UInt32], to registers: inout [UInt8], lgK: Int) {
        let mask = (1 << lgK) - 1
        for c in coupons where c != 0 {
            let slot = Int(c & 0x3FF_FFFF) & mask
            let value = UInt8(c >> 26)
            if value > registers[slot] { registers[slot] = value }
        }
    }

    /// Counts a value by its hash halves: slot from the first, value from the second's leading zeros (as
    /// DataSketches' coupons: at most 63).
    @inlinable
    public mutating func add(hash: (UInt64, UInt64)) {
        let value = UInt8(Swift.min(hash.1.leadingZeroBitCount, 62) + 1)
        add(coupon: UInt32(truncatingIfNeeded: hash.0) & 0x3FF_FFFF | UInt32(value) << 26)
    }

    @inlinable
    mutating func add(coupon: UInt32) {
        if !dense.isEmpty {
            let slot = Int(coupon & 0x3FF_FFFF) & ((1 << lgK) - 1)
            let value = UInt8(coupon >> 26)
            if value > dense[slot] { dense[slot] = value }
            return
        }
        addSparse(coupon)
    }

    /// Into the coupon table (a value seen before costs a probe or two), made registers past ``maxCoupons``.
    @usableFromInline
    mutating func addSparse(_ coupon: UInt32) {
        if coupons.isEmpty { coupons = [UInt32](repeating: 0, count: 16) }
        let mask = coupons.count - 1
        var i = Int(coupon) & mask
        while coupons[i] != 0 {
            if coupons[i] == coupon { return }
            i = (i + 1) & mask
        }
        coupons[i] = coupon
        couponCount += 1
        guard couponCount * 4 > coupons.count * 3 else { return }
        if couponCount > Self.maxCoupons {
            var r = [UInt8](repeating: 0, count: 1 << lgK)
            Self.apply(coupons, to: &r, lgK: lgK)
            dense = r
            coupons = []
            couponCount = 0
            return
        }
        let old = coupons
        coupons = [UInt32](repeating: 0, count: old.count * 2)
        couponCount = 0
        for c in old where c != 0 { addSparse(c) }
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
    @inlinable
    public mutating func add(number: Double) { add(hash: MurmurHash3.hash128(double: number)) }

    /// Merges an optional sketch into another (a profile's sketches exist only with `output.profiles`).
    public static func merge(_ other: HLL8Sketch?, into sketch: inout HLL8Sketch?) {
        guard let other else { return }
        if sketch == nil { sketch = other } else { sketch!.merge(other) }
    }

    /// The union: each register's maximum. Both sides must have the same lgK.
    public mutating func merge(_ other: HLL8Sketch) {
        precondition(other.lgK == lgK, "HLL sketches of different lgK")
        if other.dense.isEmpty {
            for c in other.coupons where c != 0 { add(coupon: c) }
            return
        }
        if dense.isEmpty {
            var r = other.dense
            Self.apply(coupons, to: &r, lgK: lgK)
            dense = r
            coupons = []
            couponCount = 0
            return
        }
        for i in dense.indices where other.dense[i] > dense[i] { dense[i] = other.dense[i] }
    }

    /// The distinct-count estimate: HyperLogLog's raw estimate with linear counting for small ranges (what
    /// DataSketches' composite estimator approximates; within its ±3% at lgK 12 on the tests' data).
    public var estimate: Double {
        guard !isEmpty else { return 0 }
        let registers = self.registers
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

extension HLL8Sketch: Hashable {
    /// Equal registers: the same distinct values, whichever form holds them.
    public static func == (a: HLL8Sketch, b: HLL8Sketch) -> Bool { a.lgK == b.lgK && a.registers == b.registers }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(lgK)
        hasher.combine(registers)
    }
}

extension HLL8Sketch: Codable {
    /// In a checkpoint: its DataSketches image, base64.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not base64"))
        }
        do {
            self = try HLL8Sketch(image: Array(data))
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Data(serialized()).base64EncodedString())
    }
}
