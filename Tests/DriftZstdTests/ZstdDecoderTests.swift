import DriftTestSupport
import DriftZstd
import Testing

@Suite struct ZstdDecoderTests {
    static let lines = (0..<400).map { #"{"ts":\#($0),"v":"\#(String(repeating: "x", count: $0 % 37))"}"# }

    /// Decodes `bytes`, feeding them in pieces of `piece` bytes; returns the output and the steps seen.
    func decode(_ bytes: [UInt8], piece: Int) -> (out: [UInt8], frameEnds: [Int], corrupt: Int) {
        let decoder = ZstdDecoder()
        var out: [UInt8] = []
        var frameEnds: [Int] = []
        var corrupt = 0
        var pos = 0
        while pos < bytes.count {
            let end = min(bytes.count, pos + piece)
            let step = bytes[pos..<end].withUnsafeBytes { decoder.decode($0) { out.append(contentsOf: $0) } }
            switch step {
            case .needInput(let c): pos += c
            case .frameEnd(let c):
                pos += c
                frameEnds.append(pos)
            case .corrupt, .windowTooLarge:
                corrupt += 1
                pos = end
            }
        }
        return (out, frameEnds, corrupt)
    }

    @Test(arguments: [1, 7, 4096, 1 << 20])
    func decodesFlushedBlocksAndManyFramesInAnyPieces(piece: Int) {
        let (bytes, starts) = zstdCompress(lines: Self.lines, flushEvery: 3, frameLines: 50)
        let result = decode(bytes, piece: piece)
        #expect(splitLines(result.out) == Self.lines)
        #expect(result.corrupt == 0)
        // Every frame end is reported at the compressed offset where the next frame starts.
        #expect(result.frameEnds == Array(starts.dropFirst()) + [bytes.count])
    }

    @Test func aFlushedButUnendedFrameDecodesAsFarAsItWasFlushed() {
        let encoder = ZstdEncoder()
        var bytes: [UInt8] = []
        encoder.write(Array("one\ntwo\n".utf8), mode: .flush, into: &bytes)
        encoder.write(Array("three\n".utf8), mode: .continue, into: &bytes)  // buffered inside the encoder
        let decoder = ZstdDecoder()
        var out: [UInt8] = []
        let step = bytes.withUnsafeBytes { decoder.decode($0) { out.append(contentsOf: $0) } }
        #expect(step == .needInput(consumed: bytes.count))
        #expect(String(decoding: out, as: UTF8.self) == "one\ntwo\n")
        #expect(decoder.isInsideFrame)
        // The rest of the frame arrives later and continues where it stopped.
        var rest: [UInt8] = []
        encoder.write([], mode: .end, into: &rest)
        let step2 = rest.withUnsafeBytes { decoder.decode($0) { out.append(contentsOf: $0) } }
        #expect(step2 == .frameEnd(consumed: rest.count))
        #expect(String(decoding: out, as: UTF8.self) == "one\ntwo\nthree\n")
        #expect(!decoder.isInsideFrame)
    }

    @Test func garbageIsReportedCorruptAndTheDecoderRecovers() {
        let decoder = ZstdDecoder()
        let garbage: [UInt8] = Array("this is not zstd\n".utf8)
        let step = garbage.withUnsafeBytes { decoder.decode($0) { _ in } }
        guard case .corrupt(_, let reason) = step else {
            Issue.record("expected corrupt, got \(step)")
            return
        }
        #expect(!reason.isEmpty)
        let (bytes, _) = zstdCompress(lines: ["a", "b"])
        var out: [UInt8] = []
        _ = bytes.withUnsafeBytes { decoder.decode($0) { out.append(contentsOf: $0) } }
        #expect(splitLines(out) == ["a", "b"])
    }

    @Test func findsTheFrameMagic() {
        let bytes: [UInt8] = [1, 2, 0x28, 0xB5, 0x2F, 0xFD, 9, 0x28, 0xB5, 0x2F, 0xFD]
        bytes.withUnsafeBytes { b in
            #expect(ZstdFrame.firstMagic(in: b) == 2)
            #expect(ZstdFrame.firstMagic(in: b, from: 3) == 7)
            #expect(ZstdFrame.firstMagic(in: b, from: 8) == nil)
        }
    }
}
