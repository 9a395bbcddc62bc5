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
            newPath == nil
                ? "file deleted or renamed away; reading it to its end" : "file renamed; reading it to its end",
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
            metadata: ["file": "\(path)", "had_read_to": .stringConvertible(readUpTo)])
    }
}

/// A file read to its end and idle past the rotation wait was closed.
public struct FileClosed: InternalEvent {
    public var path: String
    public var lines: Int64

    public func emit(to t: Telemetry) {
        t.increment("files_closed_total")
        t.logger.info("closed file read to its end", metadata: ["file": "\(path)", "lines": .stringConvertible(lines)])
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
            metadata: ["file": "\(path)", "read_up_to": .stringConvertible(position), "reason": "\(reason)"])
    }
}

/// A path matching an input glob that is not read: not a regular file (a directory, a FIFO, a socket), or not
/// readable. Logged when first seen (and again if the reason changes); the other files are read as usual.
public struct InputSkipped: InternalEvent {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public func emit(to t: Telemetry) {
        t.increment("input_files_skipped_total")
        t.logger.warning("input matching the glob is skipped: it \(reason)", metadata: ["file": "\(path)"])
    }
}

/// A followed file was closed to bound the descriptors held (idle, or the least recently read beyond
/// `limits.max_open_files`); it is opened again at its position when it grows.
public struct FileParked: InternalEvent {
    public var path: String

    public func emit(to t: Telemetry) {
        t.increment("files_parked_total")
        t.logger.debug("idle file closed until it grows", metadata: ["file": "\(path)"])
    }
}
