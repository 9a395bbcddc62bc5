import DriftCore
import Logging

/// A zstd frame that would not decode; reading resumed at the next frame magic.
public struct FrameCorrupt: InternalEvent {
    public var source: String
    public var frameOffset: Int64
    public var reason: String
    public var droppedPartialLineBytes: Int64

    public func emit(to t: Telemetry) {
        t.increment("zstd_frames_corrupt_total")
        t.logLimited(
            .warning, key: "frame_corrupt:\(source)",
            "corrupt zstd frame skipped to the next frame magic",
            metadata: [
                "file": "\(source)", "frame_offset": .stringConvertible(frameOffset), "reason": "\(reason)",
                "dropped_partial_line_bytes": .stringConvertible(droppedPartialLineBytes),
            ])
    }
}

/// Bytes that were not a zstd frame (between a corruption and the next magic, or at the end of the file).
public struct GarbageSkipped: InternalEvent {
    public var source: String
    public var offset: Int64
    public var bytes: Int64

    public func emit(to t: Telemetry) {
        t.increment("zstd_bytes_skipped_total", by: Int(bytes))
    }
}

/// A zstd file ended inside a frame. In `replay` this is final; the lines of the frame decoded so far are kept.
public struct FrameTruncated: InternalEvent {
    public var source: String
    public var frameOffset: Int64
    public var droppedPartialLineBytes: Int64

    public func emit(to t: Telemetry) {
        t.increment("zstd_frames_truncated_total")
        t.logLimited(
            .warning, key: "frame_truncated:\(source)",
            "zstd file ends inside a frame; lines decoded before the cut are kept",
            metadata: [
                "file": "\(source)", "frame_offset": .stringConvertible(frameOffset),
                "dropped_partial_line_bytes": .stringConvertible(droppedPartialLineBytes),
            ])
    }
}

/// A source was read to its end.
public struct SourceFinished: InternalEvent {
    public var source: String
    public var bytesRead: Int64
    public var decompressedBytes: Int64
    public var lines: Int64

    public func emit(to t: Telemetry) {
        t.increment("source_bytes_read_total", by: Int(bytesRead))
        t.increment("source_bytes_decompressed_total", by: Int(decompressedBytes))
        t.increment("source_lines_total", by: Int(lines))
        t.increment("source_files_finished_total")
        t.logger.debug(
            "source read to its end",
            metadata: ["file": "\(source)", "bytes": .stringConvertible(bytesRead), "lines": .stringConvertible(lines)])
    }
}

/// A zstd frame that asks for a larger window than `limits.max_zstd_window`: skipped like a corrupt frame, with a
/// message that says how to read it.
public struct FrameWindowTooLarge: InternalEvent {
    public var source: String
    public var frameOffset: Int64
    public var limit: Int
    public var droppedPartialLineBytes: Int64

    public func emit(to t: Telemetry) {
        t.increment("zstd_frames_window_too_large_total")
        t.logLimited(
            .error, key: "frame_window:\(source)",
            "zstd frame needs a window larger than limits.max_zstd_window (\(ByteSize(bytes: limit))); skipped. "
                + "Raise limits.max_zstd_window (256MiB reads `zstd --long=28`), or have the writer use a smaller window",
            metadata: [
                "file": "\(source)", "frame_offset": .stringConvertible(frameOffset),
                "dropped_partial_line_bytes": .stringConvertible(droppedPartialLineBytes),
            ])
    }
}
