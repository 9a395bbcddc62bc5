import DriftCore
import DriftRecords
import DriftSystem
import DriftZstd

#if canImport(Glibc)
    import Glibc
#endif

/// Follows the files matching a set of globs (DESIGN §2): picks up new files, reads a file renamed away or
/// deleted to its end before closing it, starts over on a file truncated or rewritten in place, and knows files by
/// ``FileIdentity`` so that a rotated name matching the glob again is not read twice.
///
/// It is driven from outside: ``scan()`` looks at the file system (on a timer, or when inotify says something
/// changed), ``pump(_:)`` reads what the followed files hold, ``closeFinished()`` lets go of rotated files that
/// stayed at their end for ``rotateWait``. Files are read in the order they were written, so a rotated set is read in
/// event-time order.
public final class Tailer {
    /// One input glob and where to start in files found at first start.
    public struct Pattern: Sendable {
        public var glob: String
        public var startAtEnd: Bool
        /// A `labels:` input (DESIGN §12): its lines are labels, not predictions.
        public var labels: Bool

        public init(glob: String, startAtEnd: Bool, labels: Bool = false) {
            self.glob = glob
            self.startAtEnd = startAtEnd
            self.labels = labels
        }
    }

    /// What a checkpoint keeps of one followed file.
    public struct FileState: Codable, Sendable, Hashable {
        public var path: String
        public var identity: FileIdentity
        public var position: SourcePosition
        public var zstd: Bool
        /// A file of a `labels:` input (absent in checkpoints of predictions' files).
        public var labels: Bool?
    }

    /// What a checkpoint keeps of the whole tailer: followed files, and files already read to their end.
    public struct State: Codable, Sendable, Hashable {
        public var files: [FileState]
        public var finished: [FileIdentity]

        public init(files: [FileState] = [], finished: [FileIdentity] = []) {
            self.files = files
            self.finished = finished
        }
    }

    final class Source {
        /// A stable id while the file is followed (the merge's lane).
        let lane: Int
        var path: String
        var identity: FileIdentity
        /// Nil while the file is parked: closed to bound the descriptors held, opened again when it grows.
        var reader: SourceReader?
        /// Where a parked file resumes, and how far into it it had been read.
        var parked: (position: SourcePosition, zstd: Bool, size: Int64)?
        /// The path no longer leads to this file (renamed or deleted): read to the end, then close.
        var detached = false
        /// Monotonic time of the last pump that found something (or of the opening).
        var lastReadAt: Int64
        /// A file of a `labels:` input, decided when it is first followed (it keeps it when renamed).
        var labels = false

        init(lane: Int, path: String, identity: FileIdentity, reader: SourceReader, openedAt: Int64) {
            self.lane = lane
            self.path = path
            self.identity = identity
            self.reader = reader
            lastReadAt = openedAt
        }

        /// The position after the last delivered batch.
        var delivered: SourcePosition { reader?.delivered ?? parked!.position }
        var isZstd: Bool { reader?.isZstd ?? parked!.zstd }
    }

    public private(set) var patterns: [Pattern]
    public let rotateWait: Span
    let maxLineBytes: Int
    /// Files held open at most (`limits.max_open_files`); beyond, the least recently read are parked.
    let maxOpen: Int
    let maxZstdWindow: Int
    /// A file with nothing new for this long is parked (unless inside a zstd frame, which would be decoded again).
    public static let idleParkAfter = Span.seconds(60)
    /// Paths matching a glob that are not read (not regular files, or unreadable), so each is logged once.
    var refused: [String: String] = [:]
    let telemetry: Telemetry
    let clock: @Sendable () -> Int64
    /// Followed files, oldest first.
    private(set) var sources: [Source] = []
    /// Files read to their end and closed; kept while they still exist so they are not read again.
    var finished: [FileIdentity] = []
    var firstScan = true
    /// Counts changes to the set of followed files (opened, renamed, closed), so that the owner can checkpoint
    /// at once when it changes: a file rotated out of the glob is then found again after a crash.
    public private(set) var generation = 0
    /// The last lane id given to a followed file.
    var nextLane = 0

    public init(
        patterns: [Pattern], maxLineBytes: Int, rotateWait: Span = .seconds(5), maxOpenFiles: Int = 256,
        maxZstdWindow: Int = ZstdDecoder.defaultMaxWindow, telemetry: Telemetry,
        clock: @escaping @Sendable () -> Int64 = Telemetry.monotonicNanoseconds
    ) {
        self.patterns = patterns
        self.maxLineBytes = maxLineBytes
        maxOpen = max(1, maxOpenFiles)
        self.maxZstdWindow = maxZstdWindow
        self.rotateWait = rotateWait
        self.telemetry = telemetry
        self.clock = clock
    }

    /// The regular files matching the globs now, with their identities. Anything else that matches (a directory,
    /// a FIFO, a socket) or cannot be read is logged once and skipped (DESIGN §8).
    func currentIdentities() -> [(path: String, identity: FileIdentity)] {
        var found: [(path: String, identity: FileIdentity)] = []
        var stillRefused: [String: String] = [:]
        for path in matchingPaths() {
            if let identity = FileIdentity.of(path: path) {
                found.append((path, identity))
                continue
            }
            let why: String
            if let kind = FileSystem.kind(of: path) {
                why =
                    kind == .regular
                    ? "cannot be read: \(FileSystem.errnoText())" : "is \(kind.article), not a regular file"
            } else {
                continue  // gone between the glob and the look
            }
            stillRefused[path] = why
            if refused[path] != why { InputSkipped(path: path, reason: why).emit(to: telemetry) }
        }
        refused = stillRefused
        return found
    }

    /// The state for a checkpoint: each followed file at the position after its last delivered batch.
    public var state: State {
        State(
            files: sources.map {
                FileState(
                    path: $0.path, identity: $0.identity, position: $0.delivered, zstd: $0.isZstd,
                    labels: $0.labels ? true : nil)
            },
            finished: finished)
    }

    /// Looks at the file system: new files, renames, deletions, truncations.
    public func scan() {
        let current = currentIdentities()
        var seenAt: [ObjectIdentifier: String] = [:]
        var newFiles: [(path: String, identity: FileIdentity)] = []
        for (path, identity) in current {
            if let source = sources.first(where: {
                $0.identity.isSameFile(as: identity) || sameInodeRewritten($0, identity)
            }) {
                seenAt[ObjectIdentifier(source)] = path
                check(source, at: path, now: identity)
            } else if !finished.contains(where: { $0.isSameFile(as: identity) }) {
                newFiles.append((path, identity))
            }
        }
        for source in sources where !source.detached {
            let now = seenAt[ObjectIdentifier(source)]
            if now != source.path {
                source.detached = true
                generation += 1
                FileRotated(path: source.path, newPath: now).emit(to: telemetry)
                if let now { source.path = now }
                // A parked file renamed away: found again by its identity, and read to its end.
                if source.reader == nil, now == nil, let (path, _) = findInDirectories(source.identity) {
                    source.path = path
                }
                if source.reader == nil { unpark(source) }
            }
        }
        // Forget finished files that no longer exist.
        finished.removeAll { f in !current.contains { $0.identity.isSameFile(as: f) } }
        let ordered = firstScan ? FileSystem.sortedByWriteOrder(newFiles.map(\.path)) : newFiles.map(\.path)
        for path in ordered {
            let identity = newFiles.first { $0.path == path }!.identity
            let pattern = pattern(of: path)
            let startAtEnd = firstScan && (pattern?.startAtEnd ?? false)
            follow(
                path: path, identity: identity, resume: nil, startAtEnd: startAtEnd, zstd: nil,
                from: startAtEnd ? "end" : "beginning", labels: pattern?.labels ?? false)
        }
        firstScan = false
    }

    /// Reads every followed file as far as it goes, oldest first. `stop` is checked between files and batches.
    /// - Returns: true when anything was read.
    @discardableResult
    public func pump(stop: () -> Bool = { false }, _ deliver: (LineBatch) -> Void) throws(DriftError) -> Bool {
        var any = false
        for source in sources {
            if stop() { break }
            if try read(source, stop: stop, deliver) { any = true }
        }
        parkQuiet()
        return any
    }

    /// The followed files' lanes, oldest first: stable ids for reading them one by one (``read(lane:stop:_:)``),
    /// as the merge by event time does.
    public var lanes: [Int] { sources.map(\.lane) }

    /// Whether lane `lane`'s file is a `labels:` input's.
    public func isLabels(lane: Int) -> Bool { sources.first { $0.lane == lane }?.labels ?? false }

    /// Reads the next part of lane `lane`'s file: at least one batch when the file holds more (a read of up to
    /// 1 MiB may give several). Call ``parkQuiet()`` after a round of reading.
    /// - Returns: true when anything was read.
    public func read(lane: Int, stop: () -> Bool = { false }, _ deliver: (LineBatch) -> Void) throws(DriftError)
        -> Bool
    {
        guard let source = sources.first(where: { $0.lane == lane }) else { return false }
        var delivered = false
        let enough = { delivered || stop() }
        return try read(source, stop: enough) { batch in
            delivered = true
            deliver(batch)
        }
    }

    func read(_ source: Source, stop: () -> Bool, _ deliver: (LineBatch) -> Void) throws(DriftError) -> Bool {
        if source.reader == nil {
            guard hasGrown(source) else { return false }
            makeRoom()
            unpark(source)
        }
        guard let reader = source.reader, try reader.pump(stop: stop, deliver) else { return false }
        source.lastReadAt = clock()
        return true
    }

    /// Quiet files let go of their descriptor and buffers; so do the least recently read beyond the limit.
    public func parkQuiet() {
        let now = clock()
        for source in sources
        where source.reader != nil && !source.detached && !source.reader!.isInsideFrame
            && now - source.lastReadAt >= Self.idleParkAfter.nanoseconds
        {
            park(source)
        }
        while openCount > maxOpen, park(leastRecentlyRead()) {}
    }

    /// Closes rotated or deleted files in which nothing new appeared for ``rotateWait``. Their unterminated last
    /// line, if any, is delivered (with whether the file is a `labels:` input's); a frame cut short is reported.
    public func closeFinished(_ deliver: (LineBatch, _ labels: Bool) -> Void) {
        let now = clock()
        sources.removeAll { source in
            guard source.detached, now - source.lastReadAt >= rotateWait.nanoseconds else { return false }
            source.reader?.finish { deliver($0, source.labels) }
            finished.append(source.identity)
            generation += 1
            FileClosed(path: source.path, lines: source.reader?.lineCount ?? source.parked?.position.line ?? 0)
                .emit(to: telemetry)
            return true
        }
    }

    /// Follows these globs from now on (a config reload); files already followed are read to their end.
    public func setPatterns(_ new: [Pattern]) {
        patterns = new
    }

    /// Paths of the files followed now, oldest first (tests and status).
    public var followedPaths: [String] { sources.map(\.path) }

    /// Opens `path` and follows it — if the file opened is still the file `identity` names (the name may have
    /// changed hands since). Returns whether it did.
    @discardableResult
    func follow(
        path: String, identity: FileIdentity, resume: SourcePosition?, startAtEnd: Bool, zstd: Bool?,
        from: String, labels: Bool
    ) -> Bool {
        do {
            makeRoom()
            let reader = try SourceReader(
                path: path, zstd: zstd, maxLineBytes: maxLineBytes, resume: resume, startAtEnd: startAtEnd,
                regularOnly: true, maxZstdWindow: maxZstdWindow, telemetry: telemetry)
            guard let opened = reader.identity(), opened.isSameFile(as: identity) else { return false }
            nextLane += 1
            let source = Source(lane: nextLane, path: path, identity: opened, reader: reader, openedAt: clock())
            source.labels = labels
            sources.append(source)
            generation += 1
            FileOpened(path: path, from: from).emit(to: telemetry)
            return true
        } catch {
            telemetry.logLimited(
                .warning, key: "open:\(path)", "cannot open input file; will retry",
                metadata: ["file": "\(path)", "error": "\(error)"])
            return false
        }
    }

    /// Same inode as a followed file but different first bytes: the file was rewritten in place.
    func sameInodeRewritten(_ source: Source, _ identity: FileIdentity) -> Bool {
        !source.detached && source.identity.device == identity.device && source.identity.inode == identity.inode
    }

    /// A followed file seen at `path`: grows its fingerprint, detects truncation and in-place rewrites.
    func check(_ source: Source, at path: String, now identity: FileIdentity) {
        let rewritten = !source.identity.isSameFile(as: identity)
        if source.reader == nil {
            var st = stat()
            let size = stat(path, &st) == 0 ? Int64(st.st_size) : Int64.max
            guard rewritten || size < source.parked!.size else { return }
            source.identity = identity
            unpark(source)
        }
        guard let reader = source.reader else { return }
        let size = reader.fileSize() ?? Int64.max
        if rewritten || size < reader.cursor {
            FileTruncated(path: path, readUpTo: reader.cursor).emit(to: telemetry)
            reader.restartFromBeginning()
            source.identity = identity
        } else if identity.fingerprint.count > source.identity.fingerprint.count {
            source.identity = identity
        }
    }

    func matchingPaths() -> [String] {
        var seen: Set<String> = []
        return patterns.flatMap { FileSystem.glob($0.glob) }.filter { seen.insert($0).inserted }
    }

    func pattern(of path: String) -> Pattern? {
        patterns.first { FileSystem.glob($0.glob).contains(path) }
    }
}
