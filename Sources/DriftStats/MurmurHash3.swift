/// MurmurHash3_x64_128 (Austin Appleby's public-domain reference, little-endian), as Apache DataSketches hashes
/// the values of its HLL sketches: the same bytes and seed give the same two 64-bit halves in every instance, so
/// that sketches made apart merge (DESIGN §6: seed 9001).
public enum MurmurHash3 {
    public static let dataSketchesSeed: UInt64 = 9001

    /// The two halves (h1, h2) of the 128-bit hash of `bytes`.
    public static func hash128(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = dataSketchesSeed) -> (UInt64, UInt64) {
        var h1 = seed
        var h2 = seed
        let blocks = bytes.count / 16
        for i in 0..<blocks {
            let k1 = bytes.loadUnaligned(fromByteOffset: i * 16, as: UInt64.self).littleEndian
            let k2 = bytes.loadUnaligned(fromByteOffset: i * 16 + 8, as: UInt64.self).littleEndian
            h1 ^= mix1(k1)
            h1 = rotl(h1, 27)
            h1 &+= h2
            h1 = h1 &* 5 &+ 0x52dc_e729
            h2 ^= mix2(k2)
            h2 = rotl(h2, 31)
            h2 &+= h1
            h2 = h2 &* 5 &+ 0x3849_5ab5
        }
        let tail = blocks * 16
        let rest = bytes.count - tail
        if rest > 8 { h2 ^= mix2(load(bytes, from: tail + 8, count: rest - 8)) }
        if rest > 0 { h1 ^= mix1(load(bytes, from: tail, count: Swift.min(rest, 8))) }
        return finish(h1, h2, length: bytes.count)
    }

    /// A double as DataSketches hashes it: its IEEE-754 bits (8 bytes, little-endian), −0.0 as 0.0 and every NaN
    /// as one. The general function's steps for one 8-byte tail, unrolled: it runs for every numeric value of a
    /// profiled window (the general one took 7% of a replay's samples).
    @inlinable
    public static func hash128(double x: Double, seed: UInt64 = dataSketchesSeed) -> (UInt64, UInt64) {
        let canonical = x == 0 ? 0.0 : (x.isNaN ? Double.nan : x)
        return finish(seed ^ mix1(canonical.bitPattern), seed, length: 8)
    }

    /// `count` (1...8) bytes from `offset` as a little-endian integer.
    @inline(__always) static func load(_ bytes: UnsafeRawBufferPointer, from offset: Int, count: Int) -> UInt64 {
        var v: UInt64 = 0
        withUnsafeMutableBytes(of: &v) {
            $0.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        return UInt64(littleEndian: v)
    }

    /// The mixing of the first and of the second word of a block (or tail).
    @usableFromInline @inline(__always) static func mix1(_ k: UInt64) -> UInt64 {
        rotl(k &* 0x87c3_7b91_1142_53d5, 31) &* 0x4cf5_ad43_2745_937f
    }

    @usableFromInline @inline(__always) static func mix2(_ k: UInt64) -> UInt64 {
        rotl(k &* 0x4cf5_ad43_2745_937f, 33) &* 0x87c3_7b91_1142_53d5
    }

    /// The length folded in, and both halves mixed into each other.
    @usableFromInline @inline(__always)
    static func finish(_ h1: UInt64, _ h2: UInt64, length: Int) -> (UInt64, UInt64) {
        var h1 = h1 ^ UInt64(length)
        var h2 = h2 ^ UInt64(length)
        h1 &+= h2
        h2 &+= h1
        h1 = fmix(h1)
        h2 = fmix(h2)
        h1 &+= h2
        h2 &+= h1
        return (h1, h2)
    }

    @usableFromInline @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 {
        (x << r) | (x >> (64 - r))
    }

    @usableFromInline @inline(__always) static func fmix(_ k: UInt64) -> UInt64 {
        var k = k
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }
}
