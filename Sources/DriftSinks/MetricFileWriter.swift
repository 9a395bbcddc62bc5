import DriftCore
import DriftSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends metric lines to `<dir>/metrics.jsonl`, a window's lines together in one `write(2)`, so that a reader
/// never sees half a line from a live writer and a crash leaves at most one partial group (``MetricFileRepair``
/// cuts it on restart). Rolls the file by size and age (DESIGN §6): rename to `metrics-<UTC time>.jsonl` — a name
/// that does not match the live one — then create, keeping the newest `keep` rolled files.
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
    /// The live file's name without `.jsonl` (`metrics`; `profiles` for mergeable profiles): rolled files are
    /// `<name>-<UTC time>.jsonl`.
    public let name: String
    public var path: String { directory + "/" + name + ".jsonl" }
    public let rolling: Rolling
    /// The live file, or -1 while it cannot be opened (the directory is missing or unwritable: retried).
    private var fd: Int32 = -1
    private var openedAt: Int64
    private let wallClock: @Sendable () -> Int64

    /// Opens (creating the directory) the live file. With `retrying`, a failure is not an error: the file is
    /// opened at the next ``append(line:)`` instead, so that a daemon starts even while its disk is away.
    public init(
        directory: String, name: String = "metrics", rolling: Rolling = Rolling(), retrying: Bool = false,
        wallClock: @escaping @Sendable () -> Int64 = Telemetry.wallClockNanoseconds
    ) throws(DriftError) {
        self.directory = directory
        self.name = name
        self.rolling = rolling
        self.wallClock = wallClock
        openedAt = wallClock()
        do {
            try reopen()
        } catch {
            if !retrying { throw error }
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// (Re)opens the live file, creating its directory.
    private func reopen() throws(DriftError) {
        if fd >= 0 { close(fd) }
        fd = -1
        try FileSystem.makeDirectories(directory)
        fd = try Self.openLive(path)
        openedAt = wallClock()
    }

    private static func openLive(_ path: String) throws(DriftError) -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DriftError(.io, "cannot open \(path) for appending: \(FileSystem.errnoText()); check output.dir")
        }
        return fd
    }

    /// Writes one complete line (ending in a newline) with a single `write(2)`. After a failure (disk full, the
    /// directory gone) the file is opened again on the next call: the disk may have come back.
    public func append(line: [UInt8]) throws(DriftError) {
        try append(lines: [line])
    }

    /// Writes a group of lines — a window's feature lines and its window line — all or none, in one `write(2)`
    /// (a call per line was 20 system calls a window: 220,000 for a replay of 1,000 models). A failure part way
    /// (the disk filled) cuts the file back to where the group began, so that writing the group again later
    /// leaves none of its lines twice. A cut that fails too is done before the next write.
    public func append(lines: [[UInt8]]) throws(DriftError) {
        joined.removeAll(keepingCapacity: joined.capacity <= Self.joinedKept)
        for line in lines { joined.append(contentsOf: line) }
        try append(group: joined)
    }

    /// ``append(lines:)`` for lines already one after the other in one buffer
    /// (``MetricLineEncoder/group(for:alerts:)``).
    public func append(group: [UInt8]) throws(DriftError) {
        if fd < 0 { try reopen() }
        if let cut = pendingCut {
            // Only in the file the group was cut from (it may have been replaced since), and never to extend it.
            if inode() == cut.inode && size() > cut.offset {
                guard ftruncate(fd, off_t(cut.offset)) == 0 else {
                    throw DriftError(.io, "cannot cut \(path) back to \(cut.offset) bytes: \(FileSystem.errnoText())")
                }
            }
            pendingCut = nil
        }
        let start = size()
        let written = group.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == group.count else {
            let why = written < 0 ? FileSystem.errnoText() : "short write (\(written) of \(group.count) bytes)"
            if ftruncate(fd, off_t(start)) != 0 { pendingCut = (inode(), start) }
            close(fd)
            fd = -1
            throw DriftError(.io, "cannot write to \(path): \(why)")
        }
    }

    /// The lines of ``append(lines:)`` joined; its room is kept between groups up to ``joinedKept`` bytes (a model
    /// with thousands of features writes megabytes once, and is not to hold them).
    private var joined: [UInt8] = []
    private static let joinedKept = 1 << 20

    /// Where the live file is to be cut back to before the next write (a failed group whose cut failed too).
    private var pendingCut: (inode: UInt64, offset: Int64)?

    private func inode() -> UInt64 {
        var st = stat()
        return fd >= 0 && fstat(fd, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    /// True when the live file has reached its size or age (and holds something).
    public var shouldRoll: Bool {
        let size = self.size()
        return size > 0 && (size >= Int64(rolling.maxBytes) || wallClock() - openedAt >= rolling.maxAge.nanoseconds)
    }

    /// Rolls the live file: rename, create anew, delete rolled files beyond `keep`. Call between windows.
    /// - Returns: the rolled file's path.
    @discardableResult
    public func roll() throws(DriftError) -> String {
        sync()
        let stamp = EventTime(nanoseconds: wallClock()).rfc3339(fractionDigits: 0)
            .replacingDashesAndColons()
        var rolled = directory + "/\(name)-\(stamp).jsonl"
        var n = 1
        while access(rolled, F_OK) == 0 {
            n += 1
            rolled = directory + "/\(name)-\(stamp)-\(n).jsonl"
        }
        guard rename(path, rolled) == 0 else {
            throw DriftError(.io, "cannot roll \(path) to \(rolled): \(FileSystem.errnoText())")
        }
        try reopen()
        let old = FileSystem.entries(of: directory).filter { $0.hasPrefix(name + "-") && $0.hasSuffix(".jsonl") }
            .map { directory + "/" + $0 }
        for file in FileSystem.sortedByWriteOrder(old).dropLast(rolling.keep) { unlink(file) }
        return rolled
    }

    /// The file's size now.
    public func size() -> Int64 {
        var st = stat()
        return fd >= 0 && fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    /// Flushes the file to disk.
    public func sync() {
        if fd >= 0 { fsync(fd) }
    }
}

extension String {
    /// `2026-11-26T10:15:00Z` → `20261126T101500Z`.
    fileprivate func replacingDashesAndColons() -> String {
        String(filter { $0 != "-" && $0 != ":" })
    }
}
