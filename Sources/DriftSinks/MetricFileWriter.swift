#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import DriftCore

/// Appends metric lines to `<dir>/metrics.jsonl`, one `write(2)` per line, so that a reader never sees half
/// a line from a live writer and a crash leaves at most one partial line.
public final class MetricFileWriter {
    public static let fileName = "metrics.jsonl"

    public let directory: String
    public var path: String { directory + "/" + Self.fileName }
    private let fd: Int32

    public init(directory: String) throws(DriftError) {
        self.directory = directory
        try FileSystem.makeDirectories(directory)
        let path = directory + "/" + Self.fileName
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DriftError(.io, "cannot open \(path) for appending: \(FileSystem.errnoText()); check output.dir")
        }
    }

    deinit {
        close(fd)
    }

    /// Writes one complete line (ending in a newline) with a single `write(2)`.
    public func append(line: [UInt8]) throws(DriftError) {
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else {
            let why = written < 0 ? FileSystem.errnoText() : "short write (\(written) of \(line.count) bytes)"
            throw DriftError(.io, "cannot write to \(path): \(why)")
        }
    }

    /// The file's size now.
    public func size() -> Int64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    /// Flushes the file to disk.
    public func sync() {
        fsync(fd)
    }
}
