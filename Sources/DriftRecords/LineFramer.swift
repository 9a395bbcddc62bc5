#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a byte stream into lines, pure and incremental.
///
/// Bytes arrive in arbitrary pieces (decompressor output); complete lines go into a ``LineBatch``. A line
/// longer than ``maxLineBytes`` is not kept: it is recorded as a `tooLong` line (so that it is counted as
/// rejected in its place) and its bytes are skipped up to the next newline. Memory stays bounded by the limit.
public struct LineFramer: Sendable {
    public let maxLineBytes: Int
    /// Bytes of the unfinished line.
    private var partial: [UInt8] = []
    /// The unfinished line is over the limit; its bytes are being skipped.
    private var discarding = false
    /// Decompressed bytes seen so far.
    public private(set) var offset: Int64 = 0
    /// Lines completed so far (including blank and too-long ones).
    public private(set) var lineCount: Int64 = 0
    /// Stream offset where the unfinished line began.
    private var partialStart: Int64 = 0

    public init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Where the unfinished line (or the next line) starts in the stream: everything before it has been emitted.
    public var nextLineStart: Int64 { partialStart }

    /// True when bytes of an unfinished line are held (or being skipped).
    public var hasPartialLine: Bool { !partial.isEmpty || discarding }

    /// Resumes counting at a known position (a checkpoint): the next byte is at `offset`, after `lineCount` lines.
    public mutating func resume(offset: Int64, lineCount: Int64) {
        dropPartialLine()
        self.offset = offset
        self.lineCount = lineCount
        self.partialStart = offset
    }

    /// Appends the complete lines in `chunk` to `batch`, keeping the unfinished tail for the next call.
    public mutating func push(_ chunk: UnsafeRawBufferPointer, into batch: inout LineBatch) {
        guard let base = chunk.baseAddress else { return }
        var pos = 0
        let count = chunk.count
        while pos < count {
            let found = memchr(base + pos, 0x0A, count - pos)
            guard let nl = found else {
                appendPartial(UnsafeRawBufferPointer(start: base + pos, count: count - pos))
                offset += Int64(count - pos)
                return
            }
            let end = base.distance(to: UnsafeRawPointer(nl))
            if partial.isEmpty && !discarding {
                // No unfinished line before: every complete line up to the chunk's last newline is copied into
                // the batch at once, and only their bounds are recorded line by line.
                pos = pushCompleteLines(base, from: pos, firstNewline: end, count: count, into: &batch)
                continue
            }
            let piece = UnsafeRawBufferPointer(start: base + pos, count: end - pos)
            let lineStart = partial.isEmpty && !discarding ? offset : partialStart
            offset += Int64(end - pos + 1)
            lineCount += 1
            if discarding || partial.count + piece.count > maxLineBytes {
                emitTooLong(at: lineStart, into: &batch)
            } else if partial.isEmpty {
                emit(piece, at: lineStart, into: &batch)
            } else {
                partial.append(contentsOf: piece)
                partial.withUnsafeBytes { emit($0, at: lineStart, into: &batch) }
            }
            partial.removeAll(keepingCapacity: true)
            discarding = false
            partialStart = offset
            pos = end + 1
        }
    }

    /// Copies the complete lines from `pos` to the chunk's last newline into the batch in runs (one copy per run,
    /// newlines included, which no line's range covers; a line over the limit ends a run and is not copied), and
    /// records each line. Returns where the rest of the chunk begins.
    private mutating func pushCompleteLines(
        _ base: UnsafeRawPointer, from pos: Int, firstNewline: Int, count: Int,
        into batch: inout LineBatch
    ) -> Int {
        var last = firstNewline
        var probe = count - 1
        while probe > firstNewline {
            if base.load(fromByteOffset: probe, as: UInt8.self) == 0x0A {
                last = probe
                break
            }
            probe -= 1
        }
        // Bytes from `runStart` on are copied at the end of the run; until then the batch's byte count stands still,
        // so a line's place in the batch is known before its bytes are there.
        var runStart = pos
        func copyRun(to end: Int) {
            batch.bytes.append(contentsOf: UnsafeRawBufferPointer(start: base + runStart, count: end - runStart))
        }
        var lineStart = pos
        var newline = firstNewline
        while true {
            var length = newline - lineStart
            lineCount += 1
            if length > maxLineBytes {
                copyRun(to: lineStart)
                batch.lines.append(
                    .init(
                        start: batch.bytes.count, length: 0, offset: offset, number: lineCount,
                        tooLong: true))
                runStart = newline + 1
            } else {
                if length > 0 && base.load(fromByteOffset: newline - 1, as: UInt8.self) == 0x0D { length -= 1 }
                batch.lines.append(
                    .init(
                        start: batch.bytes.count + (lineStart - runStart), length: length,
                        offset: offset, number: lineCount, tooLong: false))
            }
            offset += Int64(newline + 1 - lineStart)
            lineStart = newline + 1
            guard lineStart <= last, let nl = memchr(base + lineStart, 0x0A, last + 1 - lineStart) else { break }
            newline = base.distance(to: UnsafeRawPointer(nl))
        }
        copyRun(to: last + 1)
        partialStart = offset
        return last + 1
    }

    /// End of input: an unterminated last line counts as a line (as `jq` reads it).
    public mutating func finish(into batch: inout LineBatch) {
        guard hasPartialLine else { return }
        lineCount += 1
        if discarding {
            emitTooLong(at: partialStart, into: &batch)
        } else {
            partial.withUnsafeBytes { emit($0, at: partialStart, into: &batch) }
        }
        partial.removeAll(keepingCapacity: true)
        discarding = false
        partialStart = offset
    }

    /// Forgets the unfinished line (its bytes came from a frame found corrupt or truncated).
    /// - Returns: how many bytes were dropped.
    @discardableResult
    public mutating func dropPartialLine() -> Int64 {
        let dropped = offset - partialStart
        partial.removeAll(keepingCapacity: true)
        discarding = false
        partialStart = offset
        return dropped
    }

    private mutating func appendPartial(_ piece: UnsafeRawBufferPointer) {
        if partial.isEmpty && !discarding { partialStart = offset }
        if discarding { return }
        if partial.count + piece.count > maxLineBytes {
            partial.removeAll(keepingCapacity: false)
            discarding = true
        } else {
            partial.append(contentsOf: piece)
        }
    }

    private func emit(_ raw: UnsafeRawBufferPointer, at lineOffset: Int64, into batch: inout LineBatch) {
        var length = raw.count
        if length > 0 && raw[length - 1] == 0x0D { length -= 1 }
        let start = batch.bytes.count
        batch.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<length]))
        batch.lines.append(
            .init(start: start, length: length, offset: lineOffset, number: lineCount, tooLong: false))
    }

    private func emitTooLong(at lineOffset: Int64, into batch: inout LineBatch) {
        batch.lines.append(
            .init(start: batch.bytes.count, length: 0, offset: lineOffset, number: lineCount, tooLong: true))
    }
}
