import DriftTestSupport
import Foundation
import Testing

/// `run` catching up on a file already there, with 200 models: its first round closes about 1,400 windows, more
/// than a round holds before it writes them and reads on (`Daemon.Options.closedPerStep`, 1,024). What it writes
/// is what `replay` writes of the same file, line for line, each window once.
@Suite struct RunCatchUpTests {
    let dir = TemporaryDirectory("driftd-catchup")
    let driftd = driftdExecutable()

    /// The window and feature lines of the metric files in `directory`, sorted.
    func lines(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).flatMap { name in
            splitLines(try readFile(directory + "/" + name)).filter {
                $0.contains(#""kind":"window""#) || $0.contains(#""kind":"feature""#)
            }
        }.sorted()
    }

    @Test func aCatchUpThatClosesMoreWindowsThanARoundHoldsWritesWhatReplayWrites() throws {
        let models = (0..<200).map { "m\($0)" }.joined(separator: ",")
        let gen = try runProcess(
            driftd,
            [
                "generate", "--output", dir.file("logs/app.jsonl.zst"), "--records", "40000", "--rate", "100",
                "--models", models, "--seed", "3",
            ])
        #expect(gen.status == 0, "\(gen.stderr)")
        let config = dir.file("driftd.yaml")
        try writeFile(
            config,
            """
            inputs: [{path: "logs/app.jsonl.zst"}]
            windows: [{size: 1m, allowed_lateness: 5s, idle_timeout: 2s}]
            output: {dir: run-metrics, keep: 1000}
            state_dir: state
            """)
        let replay = try runProcess(driftd, ["replay", "--config", config, "--output-dir", dir.file("replay-metrics")])
        #expect(replay.status == 0, "\(replay.stderr)")
        let expected = try lines(dir.file("replay-metrics"))
        let windows = expected.filter { $0.contains(#""kind":"window""#) }.count
        #expect(windows > 1_300, "the file spans \(windows) windows")

        let run = try startProcess(driftd, ["run", "--config", config], stderr: dir.file("run.log"))
        let caughtUp = waitFor(60) {
            ((try? lines(dir.file("run-metrics")))?.filter { $0.contains(#""kind":"window""#) }.count ?? 0) >= windows
        }
        kill(run.processIdentifier, SIGTERM)
        run.waitUntilExit()
        #expect(run.terminationStatus == 0)
        let log = String(decoding: try readFile(dir.file("run.log")), as: UTF8.self)
        #expect(caughtUp, "\(log.suffix(2_000))")
        let written = try lines(dir.file("run-metrics"))
        #expect(written.count == expected.count, "\(written.count) lines written, replay wrote \(expected.count)")
        #expect(written == expected)
    }
}
