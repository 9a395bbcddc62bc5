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
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DriftError(.io, "cannot create \(temporary): \(FileSystem.errnoText())") }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            guard n > 0 else {
                let why = FileSystem.errnoText()
                close(fd)
                unlink(temporary)
                throw DriftError(.io, "cannot write \(temporary): \(why)")
            }
            done += n
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
