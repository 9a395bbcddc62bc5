import DriftCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One daemon per state directory (DESIGN §8): an exclusive `flock` on `<state_dir>/lock`, held for the life of
/// the process (the kernel lets go of it when the process ends, even after `kill -9`). The file holds the pid of
/// the holder, for the message a second daemon prints.
public final class StateLock {
    public let path: String
    private let fd: Int32

    /// Takes the lock, creating the directory and the file; throws when another process holds it.
    public init(stateDirectory: String) throws(DriftError) {
        try FileSystem.makeDirectories(stateDirectory)
        path = stateDirectory + "/lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DriftError(.io, "cannot open \(path): \(FileSystem.errnoText()); check state_dir and its permissions")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let why = errno
            var holder = [UInt8](repeating: 0, count: 32)
            let n = holder.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            let pid = String(decoding: holder.prefix(max(0, n)), as: UTF8.self).trimmingNewline()
            close(fd)
            if why == EWOULDBLOCK {
                throw DriftError(
                    .input,
                    "another driftd\(pid.isEmpty ? "" : " (pid \(pid))") is running with state_dir "
                        + "\(stateDirectory); stop it, or give this one its own state_dir")
            }
            throw DriftError(.io, "cannot lock \(path): \(FileSystem.errnoText(why))")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        close(fd)  // releases the lock
    }
}

extension String {
    fileprivate func trimmingNewline() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\0" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
