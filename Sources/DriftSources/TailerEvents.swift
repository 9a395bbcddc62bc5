import DriftCore
import Logging

/// A file started being followed.
public struct FileOpened: InternalEvent {
    public var path: String
    public var from: String

    public func emit(to t: Telemetry) {
        t.increment("files_opened_total")
        t.logger.info("following file", metadata: ["file": "\(path)", "from": "\(from)"])
    }
}

/// A followed file was renamed (rotation) or deleted; it is read to its end, then closed.
public struct FileRotated: InternalEvent {
    public var path: String
    public var newPath: String?

    public func emit(to t: Telemetry) {
        t.increment("files_rotated_total")
        t.logger.info(
            newPath == nil ? "file deleted or renamed away; reading it to its end" : "file renamed; reading it to its end",
            metadata: ["file": "\(path)", "now": "\(newPath ?? "-")"])
    }
}

/// A followed file shrank or was rewritten in place: read again from its start.
public struct FileTruncated: InternalEvent {
    public var path: String
    public var readUpTo: Int64

    public func emit(to t: Telemetry) {
        t.increment("files_truncated_total")
        t.logger.warning(
            "file truncated or rewritten in place; reading it from its start (copytruncate loses lines: rotate by rename)",
            metadata: ["file": "\(path)", "had_read_to": "\(readUpTo)"])
    }
}

/// A file read to its end and idle past the rotation wait was closed.
public struct FileClosed: InternalEvent {
    public var path: String
    public var lines: Int64

    public func emit(to t: Telemetry) {
        t.increment("files_closed_total")
        t.logger.info("closed file read to its end", metadata: ["file": "\(path)", "lines": "\(lines)"])
    }
}

/// A file the checkpoint named is gone (deleted while driftd was down, or its inode reused).
public struct FileVanished: InternalEvent {
    public var path: String
    public var position: Int64
    public var reason: String

    public func emit(to t: Telemetry) {
        t.increment("files_vanished_total")
        t.logger.warning(
            "a file being read when driftd stopped is gone; lines written to it after the checkpoint are lost",
            metadata: ["file": "\(path)", "read_up_to": "\(position)", "reason": "\(reason)"])
    }
}
