import CZstd

/// A streaming zstd decoder over libzstd's `ZSTD_decompressStream`.
///
/// It does no I/O: the caller hands it compressed bytes and receives decompressed bytes through a closure,
/// plus a ``ZstdDecoder/Step`` that says why decoding stopped. Stopping at every frame end lets the caller
/// record the compressed offset where the next frame starts (the resumable points of a zstd stream, used by
/// checkpoints and by corruption recovery). Bytes of a frame that is flushed but not yet ended are decoded as
/// far as they go; the decoder keeps its state across calls, so the rest of the frame can arrive later.
public final class ZstdDecoder {
    /// Why ``decode(_:output:)`` returned.
    public enum Step: Equatable, Sendable {
        /// All input was consumed; the current frame (if any) is not finished.
        case needInput(consumed: Int)
        /// A frame ended after `consumed` bytes of the input; call again with the rest.
        case frameEnd(consumed: Int)
        /// The data is not valid zstd. The decoder has been reset; resume at the next frame magic.
        case corrupt(consumed: Int, reason: String)
        /// The frame asks for a window larger than the decoder's limit (``maxWindow``): valid zstd that this
        /// decoder will not hold in memory. Reset like `corrupt`.
        case windowTooLarge(consumed: Int)
    }

    /// zstd's own default for decoding (`ZSTD_WINDOWLOG_LIMIT_DEFAULT`, 2^27): what `zstd -d` reads without
    /// `--memory` or `--long`.
    public static let defaultMaxWindow = 1 << 27

    /// The largest window a frame may ask for: the memory one decoder may take for a frame, whoever wrote it.
    public let maxWindow: Int

    private let context: OpaquePointer
    private var outBuffer: [UInt8]
    /// True once a frame has started and not yet ended.
    public private(set) var isInsideFrame = false

    /// - Parameter maxWindow: a power of two between 1 KiB and 2 GiB (rounded down to one).
    public init(maxWindow: Int = ZstdDecoder.defaultMaxWindow) {
        guard let dctx = ZSTD_createDCtx() else { fatalError("ZSTD_createDCtx failed: out of memory") }
        self.context = dctx
        var log: Int32 = 10
        while log < 31 && (1 << (log + 1)) <= maxWindow { log += 1 }
        self.maxWindow = 1 << log
        ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, log)
        self.outBuffer = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
    }

    deinit {
        ZSTD_freeDCtx(context)
    }

    /// Forgets any partial frame, as after a corruption or when reading restarts at a frame boundary.
    public func reset() {
        ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
        isInsideFrame = false
    }

    /// Decodes from `input` until it is consumed, a frame ends, or the data turns out corrupt.
    /// - Parameter output: called with each piece of decompressed data, in order; the buffer is only valid
    ///   during the call.
    public func decode(_ input: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) -> Void) -> Step {
        guard let base = input.baseAddress, input.count > 0 else { return .needInput(consumed: 0) }
        var inBuf = ZSTD_inBuffer(src: base, size: input.count, pos: 0)
        return outBuffer.withUnsafeMutableBytes { out -> Step in
            while true {
                var outBuf = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                let ret = ZSTD_decompressStream(context, &outBuf, &inBuf)
                if ZSTD_isError(ret) != 0 {
                    let reason = String(cString: ZSTD_getErrorName(ret))
                    reset()
                    if ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge {
                        return .windowTooLarge(consumed: inBuf.pos)
                    }
                    return .corrupt(consumed: inBuf.pos, reason: reason)
                }
                if inBuf.pos > 0 || outBuf.pos > 0 { isInsideFrame = true }
                if outBuf.pos > 0 {
                    output(UnsafeRawBufferPointer(start: out.baseAddress, count: outBuf.pos))
                }
                if ret == 0 {
                    isInsideFrame = false
                    return .frameEnd(consumed: inBuf.pos)
                }
                // Output buffer full: more may be waiting inside the decoder even without new input.
                if outBuf.pos == outBuf.size { continue }
                if inBuf.pos == inBuf.size { return .needInput(consumed: inBuf.pos) }
            }
        }
    }
}
