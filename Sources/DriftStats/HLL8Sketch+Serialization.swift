/// DataSketches' HLL image (family 7, HLL mode, target HLL_8): 40 header bytes, then one byte per register.
/// Written out of order (flag 16, HIP accumulator 0), as a union's result is, so that readers use the composite
/// estimator: driftd's sketches are merged from partials, for which the HIP estimator does not hold.
extension HLL8Sketch {
    public struct ImageError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let family: UInt8 = 7
    static let hllMode: UInt8 = 2
    static let targetHLL8: UInt8 = 2

    /// The image, in HLL mode always (DataSketches writes small sketches as coupon lists; readers take either).
    public func serialized() -> [UInt8] {
        if isEmpty {
            // Empty: list mode, flag 4 (and 8: compact), no coupons.
            return [2, 1, Self.family, UInt8(lgK), 3, 0x0C, 0, Self.targetHLL8 << 2]
        }
        var out = [UInt8]()
        out.reserveCapacity(40 + registers.count)
        out += [10, 1, Self.family, UInt8(lgK), 0, 0x08 | 0x10, 0, Self.hllMode | Self.targetHLL8 << 2]
        var kxq0 = 0.0
        var kxq1 = 0.0
        var zeros: UInt32 = 0
        let registers = self.registers
        for r in registers {
            let inverse = 1 / Double(UInt64(1) << UInt64(r))
            if r < 32 { kxq0 += inverse } else { kxq1 += inverse }
            if r == 0 { zeros += 1 }
        }
        append(&out, 0.0.bitPattern)  // HIP accumulator: unused out of order
        append(&out, kxq0.bitPattern)
        append(&out, kxq1.bitPattern)
        append(&out, UInt64(zeros))  // numAtCurMin (curMin 0), then auxCount 0
        out += registers
        return out
    }

    private func append(_ out: inout [UInt8], _ v: UInt64) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    /// Reads an image of any mode (coupon list, coupon set, HLL) with target HLL_8, HLL_6 or HLL_4 — as the
    /// registers of an HLL_8 sketch of its lgK.
    public init(image b: [UInt8]) throws(ImageError) {
        guard b.count >= 8, b[1] == 1, b[2] == Self.family else {
            throw ImageError(description: "not a DataSketches HLL image (family 7, serial version 1)")
        }
        let lgK = Int(b[3])
        guard (4...21).contains(lgK) else { throw ImageError(description: "lgK \(lgK) is outside 4...21") }
        self.init(lgK: lgK)
        let mode = b[7] & 3
        let target = b[7] >> 2
        if b[5] & 4 != 0 { return }  // empty
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[at + $1]) << (8 * UInt32($1)) } }
        switch mode {
        case 0, 1:  // coupons: low 26 bits the slot (of 2^26), high 6 the value
            let preInts = Int(b[0])
            let count = mode == 0 ? Int(b[6]) : Int(u32(8))
            let start = preInts * 4
            let compact = b[5] & 8 != 0
            guard compact || b[4] <= 26 else { throw ImageError(description: "coupon table of 2^\(b[4]) slots") }
            let slots = compact ? count : 1 << Int(b[4])
            guard b.count >= start + 4 * slots else { throw ImageError(description: "coupon image cut short") }
            for i in 0..<slots {
                let coupon = u32(start + 4 * i)
                guard coupon != 0 else { continue }
                add(coupon: coupon)
            }
        case 2:
            guard target == Self.targetHLL8 else {
                throw ImageError(description: "an HLL_\(target == 0 ? 4 : 6) image: write HLL_8 (tgt_hll_type.HLL_8)")
            }
            let k = 1 << lgK
            guard b.count >= 40 + k else { throw ImageError(description: "HLL image cut short") }
            dense = Array(b[40..<(40 + k)])
        default:
            throw ImageError(description: "unknown HLL mode \(mode)")
        }
    }
}
