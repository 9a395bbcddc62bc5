#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import DriftCore

/// Appends metric lines to `<dir>/metrics.jsonl`, one `write(2)` per line, so that a reader never sees half
/// a line from a live writer and a crash leaves at most one partial line. Rolls the file by size and age
/// (DESIGN §6): rename to `metrics-<UTC time>.jsonl` — a name that does not match the live one — then create,
/// keeping the newest `keep` rolled files.
public final class MetricFileWriter {
    public static let fileName = "metrics.jsonl"

    /// When to roll: at this size, or this age (since the file was created by this process or found at start),
    /// whichever comes first; and how many rolled files to keep.
    public struct Rolling: Sendable {
        public var maxBytes: Int
        public var maxAge: Span
        public var keep: Int

        public init(maxBytes: Int = 64 << 20, maxAge: Span = .seconds(86_400), keep: Int = 10) {
            self.maxBytes = maxBytes
            self.maxAge = maxAge
            self.keep = keep
        }
    }

    public let directory: String
    public var path: String { directory + "/" + Self.fileName }
    public let rolling: Rolling
    private var fd: Int32
    private var openedAt: Int64
    private let clock: @Sendable () -> Int64

    public init(directory: String, rolling: Rolling = Rolling(),
                clock: @escaping @Sendable () -> Int64 = Telemetry.wallClockNanoseconds) throws(DriftError) {
        self.directory = directory
        self.rolling = rolling
        self.clock = clock
        try FileSystem.makeDirectories(directory)
        fd = try Self.openLive(directory + "/" + Self.fileName)
        openedAt = clock()
    }

    deinit {
        close(fd)
    }

    private static func openLive(_ path: String) throws(DriftError) -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DriftError(.io, "cannot open \(path) for appending: \(FileSystem.errnoText()); check output.dir")
        }
        return fd
    }

    /// Writes one complete line (ending in a newline) with a single `write(2)`.
    public func append(line: [UInt8]) throws(DriftError) {
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else {
            let why = written < 0 ? FileSystem.errnoText() : "short write (\(written) of \(line.count) bytes)"
            throw DriftError(.io, "cannot write to \(path): \(why)")
        }
    }

    /// True when the live file has reached its size or age (and holds something).
    public var shouldRoll: Bool {
        let size = self.size()
        return size > 0 && (size >= Int64(rolling.maxBytes) || clock() - openedAt >= rolling.maxAge.nanoseconds)
    }

    /// Rolls the live file: rename, create anew, delete rolled files beyond `keep`. Call between windows.
    /// - Returns: the rolled file's path.
    @discardableResult
    public func roll() throws(DriftError) -> String {
        fsync(fd)
        let stamp = EventTime(nanoseconds: clock()).rfc3339(fractionDigits: 0)
            .replacingDashesAndColons()
        var rolled = directory + "/metrics-\(stamp).jsonl"
        var n = 1
        while access(rolled, F_OK) == 0 {
            n += 1
            rolled = directory + "/metrics-\(stamp)-\(n).jsonl"
        }
        guard rename(path, rolled) == 0 else {
            throw DriftError(.io, "cannot roll \(path) to \(rolled): \(FileSystem.errnoText())")
        }
        let fresh = try Self.openLive(path)
        close(fd)
        fd = fresh
        openedAt = clock()
        let old = FileSystem.entries(of: directory).filter { $0.hasPrefix("metrics-") && $0.hasSuffix(".jsonl") }
            .map { directory + "/" + $0 }
        for file in FileSystem.sortedByWriteOrder(old).dropLast(rolling.keep) { unlink(file) }
        return rolled
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

extension String {
    /// `2026-11-26T10:15:00Z` → `20261126T101500Z`.
    fileprivate func replacingDashesAndColons() -> String {
        String(filter { $0 != "-" && $0 != ":" })
    }
}
