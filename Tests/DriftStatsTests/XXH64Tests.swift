import DriftStats
import DriftTestSupport
import DriftZstd
import Testing

@Suite struct XXH64Tests {
    @Test func matchesThePublishedVectors() {
        #expect(XXH64.hash("") == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.hash("a") == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXH64.hash("abc") == 0x44BC_2CF5_AD77_0999)
    }

    /// zstd's frame checksum is the low 32 bits of XXH64(content, seed 0): libzstd is the independent reference,
    /// at every length that exercises a different code path (under 4, 8 and 32 bytes, and long inputs).
    @Test func agreesWithTheChecksumsLibzstdWrites() {
        var rng = SeededGenerator(seed: 11)
        for length in Array(0...70) + [100, 1000, 4099] {
            let content = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let encoder = ZstdEncoder(level: 1, checksum: true)
            var frame: [UInt8] = []
            encoder.write(content, mode: .end, into: &frame)
            let tail = frame.suffix(4)
            let checksum = tail.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let ours = content.withUnsafeBytes { XXH64.hash($0) }
            #expect(UInt32(truncatingIfNeeded: ours) == checksum, "length \(length)")
        }
    }
}
