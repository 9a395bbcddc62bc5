import DriftAlerts
import DriftCore
import DriftSystem
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program for each alert that fires or resolves (DESIGN §7): its argv exactly as configured — never
/// through a shell, so nothing from the logs reaches a command line — the alert as an Alertmanager v4 webhook
/// document on standard input, and `DRIFTD_*` variables in its environment. A program still running at the
/// timeout gets SIGTERM, then SIGKILL two seconds later, sent to its whole process group.
public final class ExecHook: Hook {
    public let name: String
    public let argv: [String]
    public let timeout: Span
    private let telemetry: Telemetry
    /// Process groups of the programs running now, and whether driftd is shutting down (then no new one starts).
    private let running = Locked<(groups: Set<pid_t>, terminating: Bool)>(([], false))
    /// Bytes of a program's output kept for the log; the rest is counted and dropped.
    public static let outputCap = 4096

    public init(name: String, argv: [String], timeout: Span, telemetry: Telemetry) {
        self.name = name
        self.argv = argv
        self.timeout = timeout
        self.telemetry = telemetry
        signal(SIGPIPE, SIG_IGN)  // a program that exits without reading its input must not kill driftd
    }

    public func deliver(_ events: [AlertEvent]) throws(DriftError) {
        var failure: DriftError?
        for e in events where e.transition != .stillFiring {
            do {
                try run(e.alert)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    private func environment(for alert: Alert) -> [String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DRIFTD_") }
        let l = alert.labels
        env["DRIFTD_ALERT"] = l["alertname"] ?? ""
        env["DRIFTD_STATUS"] = alert.status.rawValue
        env["DRIFTD_MODEL"] = l["model"] ?? ""
        env["DRIFTD_FEATURE"] = l["feature"] ?? ""
        env["DRIFTD_WINDOW"] = l["window"] ?? ""
        env["DRIFTD_SEVERITY"] = l["severity"] ?? ""
        env["DRIFTD_VALUE"] = alert.annotations["value"] ?? ""
        env["DRIFTD_THRESHOLD"] = alert.annotations["threshold"] ?? ""
        env["DRIFTD_WINDOW_START"] = alert.windowStart.rfc3339
        env["DRIFTD_WINDOW_END"] = alert.windowEnd.rfc3339
        return env.map { "\($0.key)=\($0.value)" }
    }

    /// Shutdown: every program still running gets SIGTERM, then SIGKILL two seconds later (in ``run``), and no
    /// new one starts.
    public func terminate() {
        let groups = running.withLock { r -> Set<pid_t> in
            r.terminating = true
            return r.groups
        }
        for group in groups { kill(-group, SIGTERM) }
    }

    private func run(_ alert: Alert) throws(DriftError) {
        guard !running.withLock({ $0.terminating }) else {
            throw DriftError(.io, "hook \(name): not started, driftd is stopping")
        }
        let payload = AlertPayload.webhook([alert], receiver: name)
        // stdin carries the payload; stdout and stderr go to one pipe that driftd reads, caps and logs.
        // Pipes are made and the program started under one lock, so that another hook's program never inherits
        // this one's pipe ends (it would hold its stdin open); they are close-on-exec in every other child.
        let spawned = Self.spawnLock.withLock { _ in Result { () throws(DriftError) in try spawn(alert) } }
        let (pid, input, output) = try spawned.get()
        running.withLock { _ = $0.groups.insert(pid) }
        defer { running.withLock { _ = $0.groups.remove(pid) } }
        try supervise(pid: pid, input: input, output: output, payload: payload)
    }

    private static let spawnLock = Mutex(())

    /// Starts the program with a pipe on its stdin and one for its stdout and stderr; returns its pid and driftd's
    /// ends of the pipes.
    private func spawn(_ alert: Alert) throws(DriftError) -> (pid: pid_t, input: Int32, output: Int32) {
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        guard pipe(&input) == 0 else {
            throw DriftError(.io, "hook \(name): cannot create a pipe: \(FileSystem.errnoText())")
        }
        guard pipe(&output) == 0 else {
            close(input[0])
            close(input[1])
            throw DriftError(.io, "hook \(name): cannot create a pipe: \(FileSystem.errnoText())")
        }
        for fd in input + output { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, output[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)  // its own process group, so a timeout reaches its children
        // A program starts as from a shell: no signal blocked (driftd's threads block SIGTERM, SIGINT and SIGHUP
        // for its signal sources, and a mask survives exec; blocked, the SIGTERM of a timeout never arrived) and
        // none ignored (driftd ignores SIGPIPE and SIGXFSZ; inherited, `producer | head` in a hook script would
        // fail with write errors instead of ending quietly).
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGXFSZ, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var pid: pid_t = 0
        var status: Int32 = 0
        // ETXTBSY: the program was just written, and another thread's fork still holds it open for writing (until
        // that child execs, which takes long on a loaded machine): retried for up to about 3 s.
        for attempt in 0..<40 {
            status = withCStrings(argv) { args in
                withCStrings(environment(for: alert)) { env in
                    posix_spawnp(&pid, argv[0], &actions, &attributes, args, env)
                }
            }
            guard status == ETXTBSY, attempt < 39 else { break }
            usleep(UInt32(min(10_000 * (attempt + 1), 100_000)))
        }
        close(input[0])
        close(output[1])
        guard status == 0 else {
            close(input[1])
            close(output[0])
            throw DriftError(.io, "hook \(name): cannot start \(argv[0]): \(FileSystem.errnoText(status))")
        }
        return (pid, input[1], output[0])
    }

    /// Feeds the payload, reads the output, and waits for the program — up to the timeout, or until shutdown.
    private func supervise(pid: pid_t, input inputFD: Int32, output outputFD: Int32, payload: [UInt8])
        throws(DriftError)
    {
        _ = fcntl(inputFD, F_SETFL, fcntl(inputFD, F_GETFL) | O_NONBLOCK)
        _ = fcntl(outputFD, F_SETFL, fcntl(outputFD, F_GETFL) | O_NONBLOCK)
        var captured = CapturedOutput(fd: outputFD)
        defer {
            captured.drain()
            close(outputFD)
            if !captured.text.isEmpty || captured.dropped > 0 {
                HookOutput(hook: name, text: captured.text, droppedBytes: captured.dropped).emit(to: telemetry)
            }
        }
        var written = 0
        let deadline = Telemetry.monotonicNanoseconds() + timeout.nanoseconds
        var exitStatus: Int32 = 0
        var exited = false
        while !exited {
            if written < payload.count {
                let n = payload.withUnsafeBytes { write(inputFD, $0.baseAddress! + written, $0.count - written) }
                if n > 0 { written += n } else if n < 0 && errno != EAGAIN { written = payload.count }
                if written >= payload.count { close(inputFD) }
            }
            captured.drain()
            let done = waitpid(pid, &exitStatus, WNOHANG)
            if done == pid {
                exited = true
                break
            }
            if Telemetry.monotonicNanoseconds() >= deadline || running.withLock({ $0.terminating }) { break }
            usleep(5_000)
        }
        if written < payload.count { close(inputFD) }
        guard exited else {
            kill(-pid, SIGTERM)
            let grace = Telemetry.monotonicNanoseconds() + 2_000_000_000
            while waitpid(pid, &exitStatus, WNOHANG) == 0 && Telemetry.monotonicNanoseconds() < grace {
                captured.drain()
                usleep(10_000)
            }
            kill(-pid, SIGKILL)
            _ = waitpid(pid, &exitStatus, 0)
            if running.withLock({ $0.terminating }) { throw terminatedAtShutdown() }
            telemetry.increment("hook_timeouts_total")
            throw DriftError(.io, "hook \(name): \(argv[0]) still running after \(timeout); killed its process group")
        }
        // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
        let signalled = exitStatus & 0x7F
        // Ended by the SIGTERM of ``terminate()`` before this loop saw that driftd is stopping.
        if signalled == SIGTERM && running.withLock({ $0.terminating }) { throw terminatedAtShutdown() }
        guard signalled == 0, (exitStatus >> 8) & 0xFF == 0 else {
            let how =
                signalled != 0 ? "was killed by signal \(signalled)" : "exited with status \((exitStatus >> 8) & 0xFF)"
            throw DriftError(.io, "hook \(name): \(argv[0]) \(how)")
        }
    }
}

extension ExecHook {
    /// Counts a program ended because driftd stops, and says so.
    fileprivate func terminatedAtShutdown() -> DriftError {
        telemetry.increment("hook_terminated_total")
        return DriftError(.io, "hook \(name): \(argv[0]) still running at shutdown; terminated its process group")
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for p in pointers { free(p) } }
    return body(pointers)
}

/// A hook program's output, read as it comes (so that a chatty program never blocks on a full pipe): the first
/// ``ExecHook/outputCap`` bytes kept, the rest counted.
private struct CapturedOutput {
    let fd: Int32
    private var bytes: [UInt8] = []
    private(set) var dropped = 0

    init(fd: Int32) {
        self.fd = fd
    }

    mutating func drain() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            let room = max(0, ExecHook.outputCap - bytes.count)
            bytes += chunk[0..<min(n, room)]
            dropped += max(0, n - room)
        }
    }

    /// The kept output as text fit for a log line (control characters escaped).
    var text: String {
        var s = String(decoding: bytes, as: UTF8.self)
        while s.last == "\n" { s.removeLast() }
        return escapedForLog(s)
    }
}

/// Control characters (but newlines and tabs, shown escaped) out of a text that came from outside driftd.
func escapedForLog(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x0A: out += "\\n"
        case 0x09: out += "\\t"
        case 0..<0x20, 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
