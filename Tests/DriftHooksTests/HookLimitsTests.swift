import DriftAlerts
import DriftCore
import DriftHooks
import DriftTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Exec hooks that write without end, and that are still running when driftd stops.
@Suite struct HookLimitsTests {
    let dir = TemporaryDirectory()

    func script(_ name: String, _ body: String) throws -> String {
        let path = dir.file(name)
        try writeFile(path, "#!/bin/sh\n" + body)
        chmod(path, 0o755)
        return path
    }

    /// A hook's output went straight to driftd's stdout (9.1 GB in 20 s filled a disk); its stderr bypassed the
    /// log's rate limiter. Now it is read, counted, cut at 4 KiB and logged through the limiter.
    @Test func aChattyHooksOutputIsCapturedCountedAndCapped() throws {
        let path = try script("chatty.sh", "head -c 3000000 /dev/zero | tr '\\0' x\necho oops >&2\n")
        let telemetry = quietTelemetry()
        let hook = ExecHook(name: "chatty", argv: [path], timeout: .seconds(20), telemetry: telemetry)
        try hook.deliver([HookTests.event()])
        #expect(telemetry.counter("hook_output_bytes_total") == 3_000_000 + 5, "every byte read, none passed through")
    }

    /// Hooks still running at shutdown were left behind. Now their process group gets SIGTERM, then SIGKILL.
    @Test func aHookStillRunningAtShutdownIsTerminatedWithItsChildren() throws {
        let pids = dir.file("pids")
        let path = try script("slow.sh", "sleep 1000 &\necho $$ $! > \(pids)\nwait\n")
        let telemetry = quietTelemetry()
        let worker = HookWorker(
            hook: ExecHook(name: "slow", argv: [path], timeout: .seconds(600), telemetry: telemetry),
            telemetry: telemetry)
        worker.offer([HookTests.event()])
        worker.offer([HookTests.event(model: "queued")])
        #expect(waitFor(10) { (try? readFile(pids))?.contains(0x0A) == true })
        let running = String(decoding: try readFile(pids), as: UTF8.self).split(separator: " ")
            .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(running.count == 2)
        let started = Date()
        worker.close(timeout: .milliseconds(200))
        #expect(Date().timeIntervalSince(started) < 6)
        for pid in running {
            #expect(waitFor(3) { kill(pid, 0) != 0 }, "process \(pid) is gone")
        }
        #expect(telemetry.counter("hook_terminated_total") == 1)
        #expect(telemetry.counter("hook_dropped_total") == 1, "the queued event is dropped, not run")
    }
}
