import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads metric files into ``ReportData`` on several threads: the bytes of all files, in order, are cut into
/// as many contiguous parts as there are workers (at line ends), each part is read into its own data, and the
/// parts are appended in order, which gives what one reader of the whole would (``ReportData/append(_:)``).
/// Files are read a few megabytes at a time, so that the memory does not grow with their size.
public enum MetricFileReader {
    /// Why a file could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `paths` in order with up to `workers` threads, each part at least `partAtLeast` bytes (parts under a
    /// few megabytes cost more to start than they save), through a buffer of `bufferSize` bytes per thread;
    /// `chosen` is ``ReportData/chosen``.
    public static func read(
        _ paths: [String], workers: Int, chosen: Double? = nil, partAtLeast: Int = 4 << 20, bufferSize: Int = 4 << 20
    ) throws(ReadError) -> ReportData {
        var measured: [Int] = []
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0, access(path, R_OK) == 0 else {
                throw ReadError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            // A FIFO or a device named like a metric file would block the report, or never end.
            guard st.st_mode & S_IFMT == S_IFREG else {
                throw ReadError(description: "\(path) is not a regular file; metric files are")
            }
            measured.append(Int(st.st_size))
        }
        let sizes = measured
        let total = sizes.reduce(0, +)
        let parts = max(1, min(workers, total / max(1, partAtLeast)))
        let results = Mutex<[ReportData?]>(Array(repeating: nil, count: parts))
        let failure = Mutex<ReadError?>(nil)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            var data = ReportData(chosen: chosen)
            do throws(ReadError) {
                // The part's bytes, [from, to) over the files laid end to end, file by file.
                let from = total * p / parts
                let to = total * (p + 1) / parts
                var base = 0
                for (path, size) in zip(paths, sizes) {
                    let lo = max(from, base)
                    let hi = min(to, base + size)
                    if lo < hi {
                        try readLines(path, from: lo - base, to: hi - base, bufferSize: bufferSize, into: &data)
                    }
                    base += size
                }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
            let done = data
            results.withLock { $0[p] = done }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        var read = results.withLock { $0 }
        var data = read[0]!
        for i in 1..<read.count {
            data.append(read[i]!)
            read[i] = nil
        }
        return data
    }

    /// Adds the lines of `path` that start in [from, to): a line that starts before `from` is the part before's,
    /// and the line that starts before `to` is read to its end.
    static func readLines(
        _ path: String, from: Int, to: Int, bufferSize: Int, into data: inout ReportData
    ) throws(ReadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: bufferSize)
        var offset = from  // file offset of the byte after the buffer's contents
        var carry = 0  // bytes of an unfinished line at the buffer's start
        var lineStart = from  // file offset of the buffer's first byte
        var skipping = false
        if from > 0 {
            var before: UInt8 = 0
            guard pread(fd, &before, 1, off_t(from - 1)) == 1 else {
                throw ReadError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            skipping = before != 0x0A
        }
        while true {
            if carry == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + carry, $0.count - carry, off_t(offset))
            }
            guard n >= 0 else {
                if errno == EINTR { continue }
                throw ReadError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
            let filled = carry + n
            var done = false
            let consumed = buffer.withUnsafeBytes { all -> Int in
                var pos = 0
                while pos < filled {
                    let found = memchr(all.baseAddress! + pos, 0x0A, filled - pos)
                    guard let found else { break }
                    let end = all.baseAddress!.distance(to: UnsafeRawPointer(found))
                    if skipping {
                        skipping = false
                    } else {
                        if lineStart + pos >= to {
                            done = true
                            return pos
                        }
                        if end > pos { data.add(line: UnsafeRawBufferPointer(rebasing: all[pos..<end])) }
                    }
                    pos = end + 1
                }
                if skipping {
                    pos = filled  // the part before's line goes on: none of it is ours
                } else if lineStart + pos >= to {
                    done = true
                }
                if n == 0 && pos < filled && !done {
                    // The last line of the file, without its newline.
                    data.add(line: UnsafeRawBufferPointer(rebasing: all[pos..<filled]))
                    pos = filled
                }
                return pos
            }
            if done || n == 0 { return }
            carry = filled - consumed
            if carry > 0 {
                buffer.withUnsafeMutableBytes { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + consumed, carry)
                }
            }
            lineStart += consumed
        }
    }
}
