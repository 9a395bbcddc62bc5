import DriftStats

/// A Bloom filter over XXH64 (double hashing, Kirsch–Mitzenmacher): answers "was this value in the reference?"
/// for high-cardinality features whose values are too many to list in a profile. No false negatives; false
/// positives (an unseen value taken as seen) at about the configured rate.
public struct BloomFilter: Hashable, Sendable, Codable {
    public let bitCount: Int
    public let hashCount: Int
    public private(set) var words: [UInt64]

    /// A filter for `capacity` values at false-positive rate `rate`.
    public init(capacity: Int, falsePositiveRate rate: Double = 0.01) {
        let n = Double(max(capacity, 1))
        let bits = Int((-n * log(rate) / (log(2.0) * log(2.0))).rounded(.up))
        bitCount = max(64, (bits + 63) / 64 * 64)
        hashCount = max(1, Int((Double(bitCount) / n * log(2.0)).rounded()))
        words = [UInt64](repeating: 0, count: bitCount / 64)
    }

    public mutating func insert(_ value: String) {
        let (h1, h2) = hashes(value)
        for i in 0..<hashCount {
            let bit = Int((h1 &+ UInt64(i) &* h2) % UInt64(bitCount))
            words[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    public func contains(_ value: String) -> Bool {
        let (h1, h2) = hashes(value)
        for i in 0..<hashCount {
            let bit = Int((h1 &+ UInt64(i) &* h2) % UInt64(bitCount))
            if words[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return true
    }

    private func hashes(_ value: String) -> (UInt64, UInt64) {
        let h = XXH64.hash(value)
        return (h, XXH64.hash(value, seed: 0x5EED) | 1)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
