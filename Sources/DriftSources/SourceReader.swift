import DriftCore
import DriftRecords
import DriftZstd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one input — a `.zst` file, a plain JSON-lines file, or standard input (`-`) — into line batches.
///
/// zstd input is decoded as a stream of frames. The compressed offset where each frame started is tracked, so
/// that a corrupt frame is skipped by rescanning from just after its start for the next frame magic (counted and
/// logged, the unfinished line dropped, every line decoded before kept), and so that every batch carries a
/// ``SourcePosition`` a checkpoint can resume from. ``pump(_:)`` reads what is there now and can be called again
/// as the file grows (a frame flushed but not ended is decoded as far as it goes); ``finish(_:)`` ends the input.
public final class SourceReader {
    public let path: String
    public private(set) var isZstd: Bool
    let fd: Int32
    let seekable: Bool
    let telemetry: Telemetry
    var decoder: ZstdDecoder?
    /// Standard input whose kind no name tells: zstd or text is decided by its first bytes (the frame magic).
    var undecided = false
    let maxZstdWindow: Int
    var framer: LineFramer
    var batch: LineBatch
    /// Batches the parsers are done with, filled again (``Spares``); nil: each batch is new.
    public var spares: Spares<LineBatch>?
    let batchLines: Int
    let batchBytes: Int

    var buffer: [UInt8]
    var bufferOffset: Int64 = 0
    var bufferCount = 0
    /// Offset of the next input byte to process.
    public internal(set) var cursor: Int64 = 0
    /// Offset where the current zstd frame began.
    public private(set) var frameStart: Int64 = 0
    /// Looking for the next frame magic after a corruption, which began at `skipStart`.
    var scanning = false
    var skipStart: Int64 = 0
    /// Frame starts as (compressed offset, decompressed offset), oldest first, from the last delivered position on.
    var boundaries: [(compressed: Int64, decompressed: Int64)] = []
    /// Decompressed bytes still to drop after resuming inside a frame.
    var skipOutput: Int64 = 0
    /// Plain files: decompressed offset minus file offset (nonzero after a restart from the beginning).
    var plainBase: Int64 = 0
    /// Lines are read but not delivered until the first end of input (`start_at: end`).
    var discardUntilEnd = false
    /// The position after the last delivered batch.
    public private(set) var delivered: SourcePosition

    public static let readSize = 1 << 20

    /// Opens `path` (`-` for standard input), from the start, from `resume`, or — with `startAtEnd` — after
    /// everything it holds now.
    /// - Parameters:
    ///   - regularOnly: refuse anything but a regular file (the tailer's globs: a FIFO would block `open` and
    ///     every read after it); otherwise a pipe named on the command line is read as a stream.
    ///   - maxZstdWindow: the largest window a zstd frame may ask for (`limits.max_zstd_window`).
    public init(
        path: String, zstd: Bool? = nil, maxLineBytes: Int = 1 << 20, batchLines: Int = 4096,
        batchBytes: Int = 4 << 20, resume: SourcePosition? = nil, startAtEnd: Bool = false,
        regularOnly: Bool = false, maxZstdWindow: Int = ZstdDecoder.defaultMaxWindow,
        telemetry: Telemetry
    ) throws(DriftError) {
        self.path = path
        self.telemetry = telemetry
        if path == "-" {
            fd = 0
            seekable = false
        } else {
            fd = try Self.openInput(path, regularOnly: regularOnly)
            seekable = lseek(fd, 0, SEEK_CUR) >= 0
        }
        isZstd = zstd ?? ZstdFrame.isZstdPath(path)
        decoder = isZstd ? ZstdDecoder(maxWindow: maxZstdWindow) : nil
        undecided = zstd == nil && path == "-" && resume == nil
        self.maxZstdWindow = maxZstdWindow
        framer = LineFramer(maxLineBytes: maxLineBytes)
        self.batchLines = batchLines
        self.batchBytes = batchBytes
        batch = LineBatch(source: path)
        buffer = [UInt8](repeating: 0, count: Self.readSize)
        let start = resume ?? .start
        delivered = start
        cursor = start.frameOffset
        frameStart = start.frameOffset
        skipOutput = isZstd ? start.skip : 0
        framer.resume(offset: start.decompressedOffset, lineCount: start.line)
        boundaries = [(start.frameOffset, start.decompressedOffset - skipOutput)]
        plainBase = isZstd ? 0 : start.decompressedOffset - start.frameOffset
        discardUntilEnd = startAtEnd
        batch.resume = start
    }

    deinit {
        if fd != 0 { close(fd) }
    }

    /// Decompressed bytes read so far (counting from the start of the stream).
    public var decompressedBytes: Int64 { framer.offset }
    /// Lines completed so far.
    public var lineCount: Int64 { framer.lineCount }
    /// True while a zstd frame is open (more of it may still arrive).
    public var isInsideFrame: Bool { decoder?.isInsideFrame ?? false }

    /// The identity of the open file (nil for standard input): it follows the file through renames and deletion.
    public func identity() -> FileIdentity? {
        fd == 0 ? nil : FileIdentity.of(fd: fd)
    }

    /// The open file's size now (nil for standard input).
    public func fileSize() -> Int64? {
        guard fd != 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    /// Reads until the end of what the input holds now, handing full batches to `deliver`. `stop` is checked
    /// before each read of up to 1 MiB.
    /// - Returns: true when it read anything.
    @discardableResult
    public func pump(stop: () -> Bool = { false }, _ deliver: (LineBatch) -> Void) throws(DriftError) -> Bool {
        if undecided { try decideKind() }
        let before = cursor
        while !stop(), try fill() {
            let consumed = buffer.withUnsafeBytes { all -> Int in
                let slice = UnsafeRawBufferPointer(rebasing: all[Int(cursor - bufferOffset)..<bufferCount])
                return process(slice, deliver)
            }
            // A negative answer means `process` moved the cursor itself (a rewind after a corruption).
            if consumed > 0 { cursor += Int64(consumed) }
            // No progress: under 4 bytes left while looking for a magic. Wait for more, or stop at the end.
            if consumed == 0, try !fillMore() { break }
        }
        flush(deliver)
        discardUntilEnd = false
        return cursor != before
    }

    /// Ends the input: a truncated frame is reported and its unfinished line dropped; an unterminated last line
    /// of plain text (or of a complete frame) counts as a line.
    public func finish(_ deliver: (LineBatch) -> Void) {
        if let decoder, decoder.isInsideFrame {
            let dropped = framer.dropPartialLine()
            FrameTruncated(source: path, frameOffset: frameStart, droppedPartialLineBytes: dropped).emit(to: telemetry)
            decoder.reset()
        } else if scanning {
            let end = max(cursor, bufferOffset + Int64(bufferCount))
            GarbageSkipped(source: path, offset: skipStart, bytes: end - skipStart).emit(to: telemetry)
        }
        framer.finish(into: &batch)
        flush(deliver)
        SourceFinished(source: path, bytesRead: cursor, decompressedBytes: framer.offset, lines: framer.lineCount)
            .emit(to: telemetry)
    }

    /// Starts over from the beginning of the file (it was truncated or rewritten in place). Lines in flight are
    /// dropped; offsets keep counting up so that positions stay distinct.
    public func restartFromBeginning() {
        framer.dropPartialLine()
        decoder?.reset()
        scanning = false
        cursor = 0
        frameStart = 0
        bufferOffset = 0
        bufferCount = 0
        skipOutput = 0
        boundaries = [(0, framer.offset)]
        plainBase = framer.offset
    }

    /// Processes bytes at the cursor. Returns how many were consumed, or -1 when the cursor was set directly.
    func process(_ input: UnsafeRawBufferPointer, _ deliver: (LineBatch) -> Void) -> Int {
        guard let decoder else {
            framer.push(input, into: &batch)
            flushIfFull(deliver)
            return input.count
        }
        if scanning {
            guard let k = ZstdFrame.firstMagic(in: input) else {
                return max(0, input.count - 3)  // keep 3 bytes: a magic may straddle the next read
            }
            GarbageSkipped(source: path, offset: skipStart, bytes: cursor + Int64(k) - skipStart).emit(to: telemetry)
            scanning = false
            frameStart = cursor + Int64(k)
            boundaries.append((frameStart, framer.offset))
            return k
        }
        let step = decoder.decode(input) { out in
            var piece = out
            if skipOutput > 0 {
                let n = Int(min(skipOutput, Int64(piece.count)))
                skipOutput -= Int64(n)
                piece = UnsafeRawBufferPointer(rebasing: piece[n...])
            }
            framer.push(piece, into: &batch)
            flushIfFull(deliver)
        }
        switch step {
        case .needInput(let consumed):
            return consumed
        case .frameEnd(let consumed):
            frameStart = cursor + Int64(consumed)
            boundaries.append((frameStart, framer.offset))
            return consumed
        case .corrupt(_, let reason):
            let dropped = framer.dropPartialLine()
            FrameCorrupt(source: path, frameOffset: frameStart, reason: reason, droppedPartialLineBytes: dropped)
                .emit(to: telemetry)
            fallthrough
        case .windowTooLarge:
            if case .windowTooLarge = step {
                let dropped = framer.dropPartialLine()
                FrameWindowTooLarge(
                    source: path, frameOffset: frameStart, limit: decoder.maxWindow,
                    droppedPartialLineBytes: dropped
                ).emit(to: telemetry)
            }
            scanning = true
            skipStart = frameStart
            skipOutput = 0
            // Rescan from just after the bad frame's start; a pipe can only go on from the bytes still held.
            cursor = max(frameStart + 1, seekable ? 0 : bufferOffset)
            return -1
        }
    }

    /// The position of the next line to deliver: the frame holding its first byte, and the bytes before it there.
    func nextPosition() -> SourcePosition {
        let offset = framer.nextLineStart
        let line = framer.lineCount
        guard isZstd else {
            return SourcePosition(frameOffset: offset - plainBase, skip: 0, decompressedOffset: offset, line: line)
        }
        var i = boundaries.count - 1
        while i > 0 && boundaries[i].decompressed > offset { i -= 1 }
        let b = boundaries[i]
        boundaries.removeFirst(i)
        return SourcePosition(
            frameOffset: b.compressed, skip: offset - b.decompressed, decompressedOffset: offset,
            line: line)
    }

    func flushIfFull(_ deliver: (LineBatch) -> Void) {
        if batch.lines.count >= batchLines || batch.bytes.count >= batchBytes { flush(deliver) }
    }

    /// Hands the batch over (unless lines are being skipped to the end), stamped with where the next line starts.
    func flush(_ deliver: (LineBatch) -> Void) {
        let position = nextPosition()
        delivered = position
        guard !batch.isEmpty else { return }
        batch.resume = position
        // The next batch takes the full one's place before it is delivered: the reader holds no copy of what it
        // delivered, which a consumer can then give back (``spares``) unshared.
        var full: LineBatch
        if var spare = spares?.take() {
            spare.reuse(source: path)
            full = spare
        } else {
            full = LineBatch(source: path, reservingBytes: min(batchBytes, batch.bytes.count))
        }
        swap(&full, &batch)
        if !discardUntilEnd { deliver(full) }
    }
}

extension SourceReader {
    /// `cat app.jsonl.zst | driftd replay … -`: standard input is zstd when it starts with a frame magic (it was read
    /// as text, every line rejected). Reads its first four bytes, which stay buffered for the decoding.
    func decideKind() throws(DriftError) {
        undecided = false
        while bufferCount < 4, try fillMore() {}
        guard bufferCount >= 4 else { return }
        let magic = buffer.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        guard UInt32(littleEndian: magic) == 0xFD2F_B528 else { return }
        isZstd = true
        decoder = ZstdDecoder(maxWindow: maxZstdWindow)
    }
}
