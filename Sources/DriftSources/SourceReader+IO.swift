import DriftCore
import DriftSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system calls under a ``SourceReader``: opening an input without blocking, and reading it into the buffer
/// (positioned reads for files, plain reads for pipes).
extension SourceReader {
    /// Opens an input without blocking (a FIFO's `open` waits for a writer), then checks what it is: a directory
    /// is refused, and anything but a regular file when `regularOnly`.
    static func openInput(_ path: String, regularOnly: Bool) throws(DriftError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw DriftError(.io, "cannot open \(path): \(FileSystem.errnoText()); check the path and permissions")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw DriftError(.io, "cannot open \(path): \(FileSystem.errnoText())")
        }
        let kind = FileSystem.Kind(mode: st.st_mode)
        guard kind == .regular || (!regularOnly && (kind == .fifo || kind == .characterDevice)) else {
            close(fd)
            throw DriftError(.input, "\(path) is \(kind.article), not a regular file; it is not read")
        }
        guard kind == .fifo else { return fd }
        // A pipe named on the command line: opened again, waiting for its writer as `cat` would (opened without
        // blocking and no writer yet, the first read would be the end).
        close(fd)
        let blocking = open(path, O_RDONLY | O_CLOEXEC)
        guard blocking >= 0 else {
            throw DriftError(.io, "cannot open \(path): \(FileSystem.errnoText()); check the path and permissions")
        }
        return blocking
    }

    /// Makes the buffer hold the cursor's byte. Returns false at the end of the input.
    func fill() throws(DriftError) -> Bool {
        if cursor >= bufferOffset && cursor < bufferOffset + Int64(bufferCount) { return true }
        if !seekable && cursor < bufferOffset {
            cursor = bufferOffset
            if bufferCount > 0 { return true }
        }
        return try readAt(cursor)
    }

    /// Reads more bytes after the cursor's (a magic split across reads). Returns false at the end of the input.
    func fillMore() throws(DriftError) -> Bool {
        let held = bufferCount - Int(cursor - bufferOffset)
        if seekable { return try readAt(cursor) && bufferCount > held }
        buffer.withUnsafeMutableBytes { b in
            b.copyMemory(from: UnsafeRawBufferPointer(rebasing: b[Int(cursor - bufferOffset)..<bufferCount]))
        }
        bufferOffset = cursor
        bufferCount = held
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + held, $0.count - held) }
        guard n >= 0 else { throw DriftError(.io, "cannot read \(path): \(FileSystem.errnoText())") }
        bufferCount += n
        return n > 0
    }

    func readAt(_ offset: Int64) throws(DriftError) -> Bool {
        let n = buffer.withUnsafeMutableBytes { b -> Int in
            seekable ? pread(fd, b.baseAddress, b.count, off_t(offset)) : read(fd, b.baseAddress, b.count)
        }
        guard n >= 0 else { throw DriftError(.io, "cannot read \(path): \(FileSystem.errnoText())") }
        if seekable || n > 0 {
            bufferOffset = offset
            bufferCount = n
        }
        return n > 0
    }
}
