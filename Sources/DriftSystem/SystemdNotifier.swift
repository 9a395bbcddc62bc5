import DriftCore

#if canImport(Glibc)
    import Glibc
#endif

/// Talks to systemd over `$NOTIFY_SOCKET` (sd_notify without libsystemd): `READY=1`, `STATUS=…`, `WATCHDOG=1`,
/// `RELOADING=1`, `STOPPING=1`. Without the variable (not under systemd) every call does nothing.
public final class SystemdNotifier: @unchecked Sendable {
    private let fd: Int32
    private var address = sockaddr_un()
    private var addressLength = socklen_t(0)
    /// Half of `$WATCHDOG_USEC`, when systemd asked for watchdog pings: how often to send them.
    public let watchdogInterval: Span?

    public init(environment: [String: String]) {
        if let usec = environment["WATCHDOG_USEC"].flatMap(Int64.init), usec > 0,
            environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == getpid() }) ?? true
        {
            watchdogInterval = Span(nanoseconds: usec * 1000 / 2)
        } else {
            watchdogInterval = nil
        }
        guard var path = environment["NOTIFY_SOCKET"], !path.isEmpty,
            path.utf8.count < MemoryLayout.size(ofValue: address.sun_path)
        else {
            fd = -1
            return
        }
        let abstract = path.hasPrefix("@")
        if abstract { path.removeFirst() }
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let offset = abstract ? 1 : 0  // an abstract socket's name starts with a NUL byte
            for (i, b) in bytes.enumerated() { raw[i + offset] = b }
        }
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 1 : 1))
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    public var isActive: Bool { fd >= 0 }

    /// Sends one notification (several `KEY=value` lines may be joined by newlines).
    public func send(_ message: String) {
        guard fd >= 0 else { return }
        var bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bytes.withUnsafeMutableBytes {
                    sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, addressLength)
                }
            }
        }
    }
}
