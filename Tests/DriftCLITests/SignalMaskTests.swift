import DriftTestSupport
import Foundation
import Testing

/// A parent may start driftd with SIGTERM, SIGINT and SIGHUP blocked: the mask survives exec, and a program
/// started from a thread of a thread pool (a supervisor written with one, or this test runner) inherits that
/// thread's mask. driftd must still stop on SIGTERM and reload on SIGHUP (a test of the label join found a run
/// that never stopped).
@Suite struct SignalMaskTests {
    let dir = TemporaryDirectory("driftd-sigmask")

    func writeConfig() throws {
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        try writeFile(
            dir.file("driftd.yaml"),
            """
            inputs: [{path: "logs/*.jsonl"}]
            output: {dir: metrics}
            state_dir: state
            """)
    }

    @Test func signalsBlockedByTheParentAreStillHonoured() throws {
        try writeConfig()
        let blockAndExec = """
            import os, signal, sys
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
            os.execv(sys.argv[1], sys.argv[1:])
            """
        let run = try startProcess(
            "/usr/bin/python3", ["-c", blockAndExec, driftdExecutable(), "run", "--config", dir.file("driftd.yaml")],
            stderr: dir.file("run.log"))
        func log() -> String { String(decoding: (try? readFile(dir.file("run.log"))) ?? [], as: UTF8.self) }
        #expect(waitFor(10) { log().contains("msg=ready") })
        kill(run.processIdentifier, SIGHUP)
        #expect(waitFor(5) { log().contains("reload") }, "SIGHUP reloads")
        #expect(stopProcess(run, within: 5) == 0, "SIGTERM stops driftd")
    }

    /// A SIGTERM that arrives while driftd starts, blocked by the mask it inherited, waits pending until driftd
    /// handles signals; ignoring SIGTERM to hand it to Dispatch discarded it, and that run never stopped.
    @Test func aSIGTERMPendingAtStartStopsDriftdOnceItIsReady() throws {
        try writeConfig()
        let pendingTerm = """
            import os, signal, sys
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            os.kill(os.getpid(), signal.SIGTERM)
            os.execv(sys.argv[1], sys.argv[1:])
            """
        let run = try startProcess(
            "/usr/bin/python3", ["-c", pendingTerm, driftdExecutable(), "run", "--config", dir.file("driftd.yaml")],
            stderr: dir.file("run.log"))
        #expect(exitStatus(of: run, within: 10) == 0, "the pending SIGTERM stops driftd")
    }

    /// A SIGTERM that arrives while driftd starts (it holds its state directory, and does not handle signals yet)
    /// stops it cleanly once it can. With nothing blocked by the parent, as under systemd, such a signal killed
    /// driftd half-started; one that came as the action was being set to "ignore" for Dispatch was lost, and that
    /// run never stopped.
    @Test func aSIGTERMWhileDriftdStartsStopsItCleanly() throws {
        try writeConfig()
        let unblockAndExec = """
            import os, signal, sys
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            os.execv(sys.argv[1], sys.argv[1:])
            """
        for attempt in 0..<5 {
            let log = dir.file("run-\(attempt).log")
            let run = try startProcess(
                "/usr/bin/python3",
                ["-c", unblockAndExec, driftdExecutable(), "run", "--config", dir.file("driftd.yaml")], stderr: log)
            // The moment driftd has taken its state directory: it writes its pid into the lock.
            let pid = "\(run.processIdentifier)\n"
            let locked = waitFor(10, every: 0.0005) {
                String(decoding: (try? readFile(dir.file("state/lock"))) ?? [], as: UTF8.self) == pid
            }
            kill(run.processIdentifier, SIGTERM)
            let status = exitStatus(of: run, within: 10)
            let text = String(decoding: (try? readFile(log)) ?? [], as: UTF8.self)
            #expect(locked && status == 0 && run.terminationReason == .exit, "attempt \(attempt): \(status) \(text)")
            try? FileManager.default.removeItem(atPath: dir.file("state/lock"))
        }
    }
}
