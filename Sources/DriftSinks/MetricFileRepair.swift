import DriftCore
import DriftStats
import DriftSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes the metric file whole after a crash (DESIGN §6, §8) and says which windows it already holds.
///
/// A window's feature lines are written before its `kind: window` line, so lines after the last window line
/// (or other standalone line) belong to a window whose writing was cut short: they are removed, as is a partial
/// last line, and the window is written again in full when it closes. Window lines written after the last
/// checkpoint are returned, so that their windows — which the checkpoint still holds open — are not written twice.
public enum MetricFileRepair {
    /// For a start without a usable checkpoint (DESIGN §8: a lost checkpoint never duplicates output): per series,
    /// the start of the newest window any metric file in `directory` holds — the live one and the rolled ones.
    /// Windows of a series close in order, so every window up to that start was written or never existed.
    public static func writtenThrough(directory: String) -> [SeriesID: EventTime] {
        var newest: [SeriesID: EventTime] = [:]
        let files = FileSystem.entries(of: directory)
            .filter { $0 == MetricFileWriter.fileName || ($0.hasPrefix("metrics-") && $0.hasSuffix(".jsonl")) }
        for name in files {
            // Only regular files: a metric file that is a device (/dev/full, /dev/zero) never ends.
            guard FileSystem.kind(of: directory + "/" + name) == .regular, let f = fopen(directory + "/" + name, "rb")
            else { continue }
            defer { fclose(f) }
            var buffer: UnsafeMutablePointer<CChar>?
            var capacity = 0
            defer { free(buffer) }
            let markers = [Array(#""kind":"window""#.utf8), Array(#""kind":"performance""#.utf8)]
            while true {
                let n = getline(&buffer, &capacity, f)
                guard n > 0, let buffer else { break }
                let line = UnsafeRawBufferPointer(start: buffer, count: n)
                // Only window and performance lines are parsed (a twentieth of the lines or fewer).
                guard markers.contains(where: { contains(line, $0) }),
                    let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any],
                    let id = windowID(of: object)
                else { continue }
                newest[id.series] = max(newest[id.series] ?? id.start, id.start)
            }
        }
        return newest
    }

    /// The window a `kind: window` or `kind: performance` line commits (a performance line's series is the
    /// window size's with ``WindowReport/performanceSuffix``, as the output stage keys it).
    static func windowID(of object: [String: Any]) -> WindowID? {
        let kind = object["kind"] as? String
        guard kind == "window" || kind == "performance", let model = object["model"] as? String,
            let window = object["window"] as? String,
            let start = (object["window_start"] as? String).flatMap(EventTime.init(rfc3339:))
        else { return nil }
        let key = (object["model_version"] as? String).map { ModelKey.join(model, version: $0) } ?? model
        return WindowID(
            model: key, window: kind == "performance" ? window + WindowReport.performanceSuffix : window, start: start)
    }

    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            var j = 1
            while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
            if j == needle.count { return true }
        }
        return false
    }

    /// Cuts a partial last line (a crash in the middle of a write) from `path`, if it exists: the profile file,
    /// whose lines each stand alone. Returns the bytes cut.
    @discardableResult
    public static func dropPartialLastLine(path: String) throws(DriftError) -> Int64 {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return 0 }
            throw DriftError(.io, "cannot open \(path) to check it: \(FileSystem.errnoText())")
        }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let size = Int64(st.st_size)
        var end = size
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while end > 0 {
            let start = max(0, end - Int64(chunk.count))
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(end - start), off_t(start)) }
            guard n == Int(end - start) else { throw DriftError(.io, "cannot read \(path): \(FileSystem.errnoText())") }
            if let i = chunk[..<n].lastIndex(of: 0x0A) {
                end = start + Int64(i) + 1
                break
            }
            end = start
        }
        guard end < size else { return 0 }
        guard ftruncate(fd, off_t(end)) == 0 else {
            throw DriftError(.io, "cannot repair \(path): \(FileSystem.errnoText())")
        }
        return size - end
    }

    public struct Result: Sendable {
        /// Windows whose lines are in the file after the checkpoint's offset.
        public var committed: Set<WindowID> = []
        /// Bytes cut from the end (a partial line, or a window's lines without its window line).
        public var removedBytes: Int64 = 0

        public init() {}
    }

    /// Repairs `path` (if it exists) and lists the windows committed after `offset` (the checkpoint's; nil
    /// without a checkpoint, when only the end is repaired).
    public static func repair(path: String, after offset: Int64?) throws(DriftError) -> Result {
        var result = Result()
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return result }
            throw DriftError(.io, "cannot open \(path) to check it: \(FileSystem.errnoText())")
        }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let size = Int64(st.st_size)
        // Read from the checkpoint's offset (or the last MiB) to the end.
        let start = max(0, min(offset ?? size - (1 << 20), size))
        var tail = [UInt8](repeating: 0, count: Int(size - start))
        let n = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard n == tail.count else { throw DriftError(.io, "cannot read \(path): \(FileSystem.errnoText())") }
        // Lines in the tail; the first may be cut when reading from an arbitrary offset (no checkpoint).
        var keepEnd = start  // end of the last line that commits something
        var lineStart = 0
        var firstLine = offset == nil && start > 0
        for i in tail.indices where tail[i] == 0x0A {
            defer {
                lineStart = i + 1
                firstLine = false
            }
            if firstLine { continue }
            let line = Array(tail[lineStart..<i])
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else { continue }
            let kind = object["kind"] as? String
            if kind == "feature" { continue }
            keepEnd = start + Int64(i + 1)
            if offset != nil, let id = windowID(of: object) { result.committed.insert(id) }
        }
        if offset == nil && start > 0 && keepEnd == start {
            // No commit in the last MiB without a checkpoint to go by: only drop a partial last line.
            keepEnd = start + Int64(lineStart)
        }
        if keepEnd < size {
            guard ftruncate(fd, off_t(keepEnd)) == 0 else {
                throw DriftError(.io, "cannot repair \(path): \(FileSystem.errnoText())")
            }
            result.removedBytes = size - keepEnd
        }
        return result
    }
}
