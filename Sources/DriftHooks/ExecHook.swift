#if canImport(Glibc)
    import Glibc
#endif
import DriftAlerts
import DriftCore
import Foundation

/// Runs a program for each alert that fires or resolves (DESIGN §7): its argv exactly as configured — never
/// through a shell, so nothing from the logs reaches a command line — the alert as an Alertmanager v4 webhook
/// document on standard input, and `DRIFTD_*` variables in its environment. A program still running at the
/// timeout gets SIGTERM, then SIGKILL two seconds later, sent to its whole process group.
public final class ExecHook: Hook {
    public let name: String
    public let argv: [String]
    public let timeout: Span
    private let telemetry: Telemetry

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

    private func run(_ alert: Alert) throws(DriftError) {
        let payload = AlertPayload.webhook([alert], receiver: name)
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw DriftError(.io, "hook \(name): cannot create a pipe: \(FileSystem.errnoText())") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[0], 0)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)  // its own process group, so a timeout reaches its children

        var pid: pid_t = 0
        let status = withCStrings(argv) { args in
            withCStrings(environment(for: alert)) { env in
                posix_spawnp(&pid, argv[0], &actions, &attributes, args, env)
            }
        }
        close(pipeFDs[0])
        guard status == 0 else {
            close(pipeFDs[1])
            throw DriftError(.io, "hook \(name): cannot start \(argv[0]): \(FileSystem.errnoText(status))")
        }
        _ = fcntl(pipeFDs[1], F_SETFL, fcntl(pipeFDs[1], F_GETFL) | O_NONBLOCK)
        var written = 0
        let deadline = Telemetry.monotonicNanoseconds() + timeout.nanoseconds
        var exitStatus: Int32 = 0
        var exited = false
        while !exited {
            if written < payload.count {
                let n = payload.withUnsafeBytes { write(pipeFDs[1], $0.baseAddress! + written, $0.count - written) }
                if n > 0 { written += n } else if n < 0 && errno != EAGAIN { written = payload.count }
                if written >= payload.count { close(pipeFDs[1]) }
            }
            let done = waitpid(pid, &exitStatus, WNOHANG)
            if done == pid { exited = true; break }
            if Telemetry.monotonicNanoseconds() >= deadline { break }
            usleep(5_000)
        }
        if written < payload.count { close(pipeFDs[1]) }
        guard exited else {
            kill(-pid, SIGTERM)
            let grace = Telemetry.monotonicNanoseconds() + 2_000_000_000
            while waitpid(pid, &exitStatus, WNOHANG) == 0 && Telemetry.monotonicNanoseconds() < grace { usleep(10_000) }
            kill(-pid, SIGKILL)
            _ = waitpid(pid, &exitStatus, 0)
            telemetry.increment("hook_timeouts_total")
            throw DriftError(.io, "hook \(name): \(argv[0]) still running after \(timeout); killed its process group")
        }
        // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
        let signalled = exitStatus & 0x7F
        guard signalled == 0, (exitStatus >> 8) & 0xFF == 0 else {
            let how = signalled != 0 ? "was killed by signal \(signalled)" : "exited with status \((exitStatus >> 8) & 0xFF)"
            throw DriftError(.io, "hook \(name): \(argv[0]) \(how)")
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
