import DriftCore

#if canImport(Glibc)
    import Glibc
#endif

/// Bounded descriptors (DESIGN §8, `limits.max_open_files`): a followed file that is idle, or the least recently
/// read one beyond the limit, is parked — closed, its position kept — and opened again when it grows.
extension Tailer {
    /// Files open now.
    public var openCount: Int { sources.reduce(0) { $0 + ($1.reader == nil ? 0 : 1) } }

    /// Parks the least recently read open file that is not detached, if any, to make room for one more.
    func makeRoom() {
        if openCount >= maxOpen { park(leastRecentlyRead()) }
    }

    func leastRecentlyRead() -> Source? {
        sources.filter { $0.reader != nil && !$0.detached }.min { $0.lastReadAt < $1.lastReadAt }
    }

    /// Closes a file, keeping where to resume: lines not yet delivered are read again from there.
    @discardableResult
    func park(_ source: Source?) -> Bool {
        guard let source, let reader = source.reader, !source.detached else { return false }
        // The bytes read so far: a file parked before it was read to its end (or that grows) has more.
        source.parked = (reader.delivered, reader.isZstd, reader.cursor)
        source.reader = nil
        FileParked(path: source.path).emit(to: telemetry)
        return true
    }

    /// Opens a parked file again at its position, if it is still the same file.
    func unpark(_ source: Source) {
        guard let parked = source.parked else { return }
        do {
            let reader = try SourceReader(
                path: source.path, zstd: parked.zstd, maxLineBytes: maxLineBytes, resume: parked.position,
                regularOnly: true, maxZstdWindow: maxZstdWindow, telemetry: telemetry)
            guard let opened = reader.identity(), opened.isSameFile(as: source.identity) else { return }
            source.reader = reader
            source.parked = nil
        } catch {
            telemetry.logLimited(
                .warning, key: "open:\(source.path)", "cannot open input file again; will retry",
                metadata: ["file": "\(source.path)", "error": "\(error)"])
        }
    }

    /// True when a parked file holds more than had been read of it.
    func hasGrown(_ source: Source) -> Bool {
        guard let parked = source.parked else { return false }
        var st = stat()
        return stat(source.path, &st) == 0 && Int64(st.st_size) > parked.size
    }
}
