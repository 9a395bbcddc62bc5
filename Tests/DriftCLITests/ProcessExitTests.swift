import DriftTestSupport
import Foundation
import Testing

/// The bound every test of a real process relies on: a program that does not end is reported and killed, so that
/// a hung daemon fails its test instead of stalling CI until its time limit.
@Suite struct ProcessExitTests {
    @Test func aProcessThatDoesNotEndInTimeIsReportedAndKilled() throws {
        let sleeper = try startProcess("/bin/sleep", ["30"])
        let report = hangReport(pid: sleeper.processIdentifier, after: 0)
        #expect(report.contains("SigBlk:") && report.contains("ShdPnd:"), "\(report)")
        // Just started, it may not have reached its sleep yet (state R, or still the name it had before exec).
        let asleep = "thread \(sleeper.processIdentifier) sleep: state S"
        #expect(waitFor(10) { hangReport(pid: sleeper.processIdentifier, after: 0).contains(asleep) }, "\(report)")
        let asked = Date()
        #expect(exitStatus(of: sleeper, within: 0.3) == -1)
        #expect(Date().timeIntervalSince(asked) < 5)
        #expect(sleeper.terminationReason == .uncaughtSignal && sleeper.terminationStatus == SIGKILL)
    }

    @Test func aProcessThatEndsGivesItsStatus() throws {
        let shell = try startProcess("/bin/sh", ["-c", "exit 3"])
        #expect(exitStatus(of: shell, within: 10) == 3)
        #expect(stopProcess(try startProcess("/bin/sleep", ["30"]), signal: SIGKILL, within: 10) == SIGKILL)
    }
}
