import DriftTestSupport
import Foundation
import Testing

/// The metric file cannot be written — a full disk (/dev/full answers every write with ENOSPC), or an output
/// directory that cannot be created — and then can again: driftd logs, keeps running, pauses reading, and loses
/// no window.
@Suite(.serialized) struct OutputFailureTests {
    let dir = TemporaryDirectory("driftd-out")
    let driftd = driftdExecutable()

    func checkpointedRecords() -> Int { DriftTestSupport.checkpointedRecords(in: dir.file("state")) }

    /// Runs driftd while `block` makes the output unwritable, then `unblock`s it.
    func check(block: () throws -> Void, unblock: () throws -> Void) throws {
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        let lines = (0..<25).map { #"{"ts":\#(1_795_651_200 + $0),"features":{"x":\#($0)}}"# }
        try writeFile(dir.file("logs/a.jsonl"), lines.joined(separator: "\n") + "\n")
        let config = dir.file("driftd.yaml")
        try writeFile(
            config,
            """
            inputs: [{path: "logs/*.jsonl"}]
            windows: [{size: 10s, allowed_lateness: 0s, idle_timeout: 1h}]
            output: {dir: out}
            state_dir: state
            """)
        try block()
        let log = dir.file("run.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let run = try startProcess(driftd, ["run", "--config", config], stderr: log)
        defer { if run.isRunning { run.terminate() } }
        let failing = waitFor(10) {
            String(decoding: (try? readFile(log)) ?? [], as: UTF8.self).contains("cannot write the metric file")
        }
        #expect(failing, "the failure is logged")
        usleep(1_500_000)  // a few retries
        #expect(run.isRunning, "no crash")
        #expect(checkpointedRecords() == 0, "no checkpoint while windows wait for the disk")
        try unblock()
        #expect(waitFor(15) { checkpointedRecords() == 25 }, "written once the disk is back")
        #expect(stopProcess(run) == 0)
        let windows = splitLines(try readFile(dir.file("out/metrics.jsonl"))).filter {
            $0.contains(#""kind":"window""#)
        }
        #expect(windows.count == 2, "[0,10) and [10,20) closed by the watermark, none lost: \(windows)")
    }

    @Test func aFullDiskLosesNoWindow() throws {
        try check(
            block: {
                try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(
                    atPath: dir.file("out/metrics.jsonl"), withDestinationPath: "/dev/full")
            },
            unblock: { try FileManager.default.removeItem(atPath: dir.file("out/metrics.jsonl")) })
    }

    @Test func anOutputDirectoryThatCannotBeCreatedLosesNoWindow() throws {
        try check(
            block: { try writeFile(dir.file("out"), "a file where the directory should be") },
            unblock: { try FileManager.default.removeItem(atPath: dir.file("out")) })
    }
}
