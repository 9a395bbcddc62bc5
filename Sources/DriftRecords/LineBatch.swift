/// A run of complete lines from one source, copied into one buffer.
///
/// Batches are the unit of work handed from the reading stage to parsing and aggregation: one allocation per
/// batch rather than per line, and a size the pipeline can bound.
public struct LineBatch: Sendable {
    /// One line of a batch: where its bytes are, and where it came from (for rejection logs).
    public struct Line: Sendable, Equatable {
        /// Offset of the line's bytes in ``LineBatch/bytes``.
        public var start: Int
        /// Length of the line, without its newline (and without a trailing `\r`).
        public var length: Int
        /// Offset of the line's first byte in the source's decompressed stream.
        public var offset: Int64
        /// 1-based line number in the source's decompressed stream.
        public var number: Int64
        /// The line was longer than the limit; its bytes were not kept.
        public var tooLong: Bool
    }

    /// The source the lines were read from, as shown in logs.
    public var source: String
    public var bytes: [UInt8] = []
    public var lines: [Line] = []
    /// Where the next line after this batch starts: a checkpoint taken once the batch is processed resumes there.
    public var resume = SourcePosition.start

    public init(source: String, reservingBytes: Int = 0) {
        self.source = source
        bytes.reserveCapacity(reservingBytes)
    }

    public var isEmpty: Bool { lines.isEmpty }

    /// Empties the batch for lines of `source`, keeping its storage (a spare batch filled again).
    public mutating func reuse(source: String) {
        self.source = source
        bytes.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        resume = .start
    }

    /// Calls `body` with the bytes of line `index`.
    public func withLine<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let line = lines[index]
        return try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[line.start..<(line.start + line.length)]))
        }
    }

    /// True for a line of only spaces and tabs: skipped, not rejected.
    public static func isBlank(_ text: UnsafeRawBufferPointer) -> Bool {
        text.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The text of line `index` (tests and diagnostics).
    public func text(_ index: Int) -> String {
        withLine(index) { String(decoding: $0, as: UTF8.self) }
    }
}
