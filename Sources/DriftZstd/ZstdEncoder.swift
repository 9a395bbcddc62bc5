import CZstd

/// A streaming zstd encoder over `ZSTD_compressStream2`, for the generator and for tests.
///
/// It writes what inference servers should write (docs/writer-guide): block flushes every few lines so a
/// tailer sees them at once, a frame end every N lines so a reader can resume there, checksums on.
public final class ZstdEncoder {
    public enum Mode: Sendable {
        /// Buffer inside the encoder.
        case `continue`
        /// Emit a complete block so everything written so far can be decoded (the frame stays open).
        case flush
        /// End the frame (with its checksum); the next write starts a new frame.
        case end
    }

    private let context: OpaquePointer
    private var scratch: [UInt8]

    public init(level: Int32 = 3, checksum: Bool = true) {
        guard let cctx = ZSTD_createCCtx() else { fatalError("ZSTD_createCCtx failed: out of memory") }
        context = cctx
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0)
        scratch = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
    }

    deinit {
        ZSTD_freeCCtx(context)
    }

    /// Compresses `input` and appends the compressed bytes produced so far to `output`.
    public func write(_ input: UnsafeRawBufferPointer, mode: Mode, into output: inout [UInt8]) {
        let directive: ZSTD_EndDirective =
            switch mode {
            case .continue: ZSTD_e_continue
            case .flush: ZSTD_e_flush
            case .end: ZSTD_e_end
            }
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        scratch.withUnsafeMutableBytes { out in
            while true {
                var outBuf = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                let remaining = ZSTD_compressStream2(context, &outBuf, &inBuf, directive)
                precondition(ZSTD_isError(remaining) == 0, String(cString: ZSTD_getErrorName(remaining)))
                output.append(contentsOf: UnsafeRawBufferPointer(start: out.baseAddress, count: outBuf.pos))
                let done = mode == .continue ? inBuf.pos == inBuf.size : remaining == 0
                if done { break }
            }
        }
    }

    public func write(_ bytes: [UInt8], mode: Mode, into output: inout [UInt8]) {
        bytes.withUnsafeBytes { write($0, mode: mode, into: &output) }
    }
}
