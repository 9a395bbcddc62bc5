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
        kill(run.processIdentifier, SIGTERM)
        let stopped = waitFor(5) { !run.isRunning }
        #expect(stopped, "SIGTERM stops driftd")
        if !stopped {
            kill(run.processIdentifier, SIGKILL)
        }
        run.waitUntilExit()
        #expect(run.terminationStatus == 0)
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
        let stopped = waitFor(10) { !run.isRunning }
        #expect(stopped, "the pending SIGTERM stops driftd")
        if !stopped { kill(run.processIdentifier, SIGKILL) }
        run.waitUntilExit()
        #expect(run.terminationStatus == 0)
    }
}
