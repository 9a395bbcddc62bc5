import DriftCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file's contents so that readers see the old file or the new one, never a mix: write a temporary
/// file beside it, fsync, rename over the target.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(DriftError) {
        try write(to: path) { file throws(DriftError) in try file.append(bytes) }
    }

    /// The temporary file being written: each piece goes to it as it comes.
    public struct Pieces {
        let fd: Int32
        let path: String

        public func append(_ bytes: [UInt8]) throws(DriftError) {
            if bytes.withUnsafeBufferPointer({ Self.writeAll(fd, $0) }) {
                throw DriftError(.io, "cannot write \(path): \(FileSystem.errnoText())")
            }
        }

        /// True when a write failed.
        static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return true }
                done += n
            }
            return false
        }
    }

    /// ``write(_:to:)`` for contents made piece by piece (a checkpoint of thousands of models): `produce` appends
    /// them, and the whole is never held in memory. A failure leaves the file as it was.
    public static func write(
        to path: String, _ produce: (Pieces) throws(DriftError) -> Void
    ) throws(DriftError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DriftError(.io, "cannot create \(temporary): \(FileSystem.errnoText())") }
        do {
            try produce(Pieces(fd: fd, path: temporary))
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard fsync(fd) == 0, close(fd) == 0 else {
            unlink(temporary)
            throw DriftError(.io, "cannot flush \(temporary) to disk: \(FileSystem.errnoText())")
        }
        guard rename(temporary, path) == 0 else {
            let why = FileSystem.errnoText()
            unlink(temporary)
            throw DriftError(.io, "cannot rename \(temporary) to \(path): \(why)")
        }
    }
}
