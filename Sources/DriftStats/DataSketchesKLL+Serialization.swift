/// DataSketches' serialized layout of a KLL doubles sketch (family 15): an 8-byte empty image, a 16-byte single
/// item, or preamble, levels, min, max and the retained items (all little-endian).
extension DataSketchesKLL {
    public struct ImageError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let family: UInt8 = 15

    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        func put(_ v: UInt64, _ bytes: Int) {
            for i in 0..<bytes { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
        }
        let k16 = UInt64(k)
        if n == 0 {
            out = [2, 1, Self.family, 1]
            put(k16, 2)
            out += [UInt8(Self.m), 0]
            return out
        }
        if n == 1 {
            out = [2, 2, Self.family, 4]
            put(k16, 2)
            out += [UInt8(Self.m), 0]
            put(min.bitPattern, 8)
            return out
        }
        out = [5, 1, Self.family, 2]  // flag 2: level 0 sorted
        put(k16, 2)
        out += [UInt8(Self.m), 0]
        put(UInt64(n), 8)
        put(k16, 2)  // min_k
        out += [UInt8(levels.count), 0]
        var offset = totalCapacity - retained
        for level in levels {
            put(UInt64(offset), 4)
            offset += level.count
        }
        put(min.bitPattern, 8)
        put(max.bitPattern, 8)
        for level in levels { for x in level { put(x.bitPattern, 8) } }
        return out
    }

    /// Reads DataSketches' bytes (as Python's `kll_doubles_sketch.serialize()` writes them, or driftd).
    public init(image b: [UInt8]) throws(ImageError) {
        guard b.count >= 8, b[2] == Self.family else {
            throw ImageError(description: "not a DataSketches KLL image (family 15)")
        }
        func u(_ at: Int, _ bytes: Int) -> UInt64 {
            (0..<bytes).reduce(UInt64(0)) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
        }
        func f64(_ at: Int) -> Double { Double(bitPattern: u(at, 8)) }
        let k = Int(u(4, 2))
        guard k >= Self.m, b[6] == UInt8(Self.m) else { throw ImageError(description: "k \(k) or m \(b[6]) not read") }
        self.init(k: k)
        let flags = b[3]
        if flags & 1 != 0 { return }
        if flags & 4 != 0 {
            guard b.count >= 16 else { throw ImageError(description: "single-item image cut short") }
            let x = f64(8)
            (levels, n, min, max) = ([[x]], 1, x, x)
            return
        }
        guard b[0] == 5, b.count >= 20 else { throw ImageError(description: "preamble of \(b[0]) ints not read") }
        let count = Int(u(8, 8))
        let numLevels = Int(b[18])
        // DataSketches' level capacities are defined up to 61 levels (a depth of 60); more is a damaged image.
        guard (1...61).contains(numLevels), b.count >= 20 + 4 * numLevels + 16 else {
            throw ImageError(description: "levels cut short")
        }
        var bounds = (0..<numLevels).map { Int(u(20 + 4 * $0, 4)) }
        let capacity = (0..<numLevels).reduce(0) {
            $0 + Self.capacity(k: k, numLevels: numLevels, height: $1)
        }
        bounds.append(capacity)
        let start = 20 + 4 * numLevels + 16
        guard zip(bounds, bounds.dropFirst()).allSatisfy({ $0 <= $1 }), bounds[0] >= 0,
            b.count == start + 8 * (capacity - bounds[0])
        else { throw ImageError(description: "levels do not match the capacities of k \(k) (size mismatch)") }
        min = f64(20 + 4 * numLevels)
        max = f64(20 + 4 * numLevels + 8)
        levels = (0..<numLevels).map { h in
            (bounds[h]..<bounds[h + 1]).map { f64(start + 8 * ($0 - bounds[0])) }
        }
        levels[0].sort()
        n = count
        let weight = levels.enumerated().reduce(0) { $0 + $1.element.count << $1.offset }
        guard weight == count else { throw ImageError(description: "n \(count) is not the levels' weight \(weight)") }
    }
}
