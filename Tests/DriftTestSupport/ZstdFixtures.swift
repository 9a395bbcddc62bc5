import DriftZstd

/// Compresses lines the way a live writer does: a block flush every `flushEvery` lines, a frame end every
/// `frameLines` lines (checksums on). Returns the bytes and the offset where each frame starts.
public func zstdCompress(
    lines: [String], flushEvery: Int = 3, frameLines: Int = 50, endLastFrame: Bool = true,
    level: Int32 = 3
) -> (bytes: [UInt8], frameStarts: [Int]) {
    let encoder = ZstdEncoder(level: level, checksum: true)
    var out: [UInt8] = []
    var starts: [Int] = []
    for (i, line) in lines.enumerated() {
        if i % frameLines == 0 { starts.append(out.count) }
        let last = i == lines.count - 1
        let endFrame = (i + 1) % frameLines == 0 || (last && endLastFrame)
        let mode: ZstdEncoder.Mode = endFrame ? .end : ((i + 1) % flushEvery == 0 || last) ? .flush : .continue
        encoder.write(Array((line + "\n").utf8), mode: mode, into: &out)
    }
    return (out, starts)
}
