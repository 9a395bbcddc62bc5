import DriftCore
import DriftSystem

#if canImport(Glibc)
    import Glibc
#endif

/// Watches the input directories with inotify, so that new lines are read as soon as they are written. The
/// descriptor is read through a Dispatch read source by the caller; the poll timer remains as the fallback (and
/// re-adds watches on directories that appear later).
public final class InotifyWatch {
    public let fd: Int32
    private var pending: [String]
    private let telemetry: Telemetry
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Nil when inotify is unavailable (then polling alone drives reading).
    public init?(directories: [String], telemetry: Telemetry) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else {
            telemetry.logger.warning(
                "inotify unavailable; polling the inputs", metadata: ["error": "\(FileSystem.errnoText())"])
            return nil
        }
        self.fd = fd
        self.telemetry = telemetry
        pending = directories
        addMissingWatches()
    }

    deinit {
        close(fd)
    }

    /// Adds watches on directories that could not be watched yet (they did not exist).
    public func addMissingWatches() {
        let mask = UInt32(IN_CREATE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB)
        pending.removeAll { directory in
            if inotify_add_watch(fd, directory, mask) >= 0 { return true }
            telemetry.logLimited(
                .warning, key: "watch:\(directory)", "cannot watch input directory; polling it until it appears",
                metadata: ["directory": "\(directory)", "error": "\(FileSystem.errnoText())"])
            return false
        }
    }

    /// Reads the pending events. Returns true when any was more than a write to an existing file (a file
    /// created, renamed, deleted, or a watch lost): then the files must be scanned again; writes alone only need
    /// reading.
    public func drain() -> Bool {
        var structural = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return structural }
            var offset = 0
            while offset + 16 <= n {
                // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[]; }
                let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
                let length = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) }
                if mask & ~UInt32(IN_MODIFY) != 0 { structural = true }
                offset += 16 + Int(length)
            }
        }
    }
}
