/// Where to resume reading a source: the start of the next line not yet processed, named by a point the
/// decoder can restart from.
///
/// A zstd decoder's state cannot be saved, but every frame starts afresh: a position is the compressed offset
/// of the frame that holds the line's first byte and how many decompressed bytes of that frame come before it.
/// Counting bytes rather than lines keeps lines that span two frames correct. For plain files the frame offset
/// is the byte offset itself and nothing is skipped.
public struct SourcePosition: Hashable, Sendable, Codable {
    /// Compressed offset of the frame to restart decoding at (plain files: the byte offset).
    public var frameOffset: Int64
    /// Decompressed bytes of that frame that precede the position.
    public var skip: Int64
    /// The position in the decompressed stream (for logs and counters).
    public var decompressedOffset: Int64
    /// Lines completed before the position (for logs).
    public var line: Int64

    public init(frameOffset: Int64, skip: Int64, decompressedOffset: Int64, line: Int64) {
        self.frameOffset = frameOffset
        self.skip = skip
        self.decompressedOffset = decompressedOffset
        self.line = line
    }

    public static let start = SourcePosition(frameOffset: 0, skip: 0, decompressedOffset: 0, line: 0)
}
