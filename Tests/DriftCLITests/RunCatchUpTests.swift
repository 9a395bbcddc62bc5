import DriftTestSupport
import Foundation
import Testing

/// `run` catching up on files already there, with 200 models: its first round closes about 1,400 windows, more
/// than a round holds before it writes them (`Daemon.Options.closedPerStep`, 1,024). What it writes is what
/// `replay` writes of the same files, each window once and no record late.
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

    /// One writer, and two writers of the same 200 models over the same minutes (two replicas): a round that
    /// writes the windows it closed must not leave a file behind the others, whose records would then come late.
    @Test(arguments: [1, 2])
    func aCatchUpThatClosesMoreWindowsThanARoundHoldsWritesWhatReplayWrites(writers: Int) throws {
        let models = (0..<200).map { "m\($0)" }.joined(separator: ",")
        for w in 0..<writers {
            let gen = try runProcess(
                driftd,
                [
                    "generate", "--output", dir.file("logs/app\(w).jsonl.zst"), "--records", "\(40000 / writers)",
                    "--rate", "\(100 / writers)", "--models", models, "--seed", "\(3 + w)",
                ])
            #expect(gen.status == 0, "\(gen.stderr)")
        }
        let config = dir.file("driftd.yaml")
        try writeFile(
            config,
            """
            inputs: [{path: "logs/app*.jsonl.zst"}]
            windows: [{size: 1m, allowed_lateness: 5s, idle_timeout: 2s}]
            output: {dir: run-metrics, keep: 1000}
            state_dir: state
            """)
        let replay = try runProcess(driftd, ["replay", "--config", config, "--output-dir", dir.file("replay-metrics")])
        #expect(replay.status == 0, "\(replay.stderr)")
        let expected = try lines(dir.file("replay-metrics"))
        let windows = expected.filter { $0.contains(#""kind":"window""#) }
        #expect(windows.count > 1_300, "the files span \(windows.count) windows")
        #expect(windows.allSatisfy { $0.contains(#""late":0,"#) }, "replay counts no record late")

        let run = try startProcess(driftd, ["run", "--config", config], stderr: dir.file("run.log"))
        let caughtUp = waitFor(60) {
            ((try? lines(dir.file("run-metrics")))?.filter { $0.contains(#""kind":"window""#) }.count ?? 0)
                >= windows.count
        }
        #expect(stopProcess(run) == 0)
        let log = String(decoding: try readFile(dir.file("run.log")), as: UTF8.self)
        #expect(caughtUp, "\(log.suffix(2_000))")
        let written = try lines(dir.file("run-metrics"))
        #expect(written.count == expected.count, "\(written.count) lines written, replay wrote \(expected.count)")
        if writers == 1 {
            #expect(written == expected)
        } else {
            // Two files are merged by event time within a slack: the records of a model come in another order
            // than in `replay`, and sums differ in their last bits. Counts are exact, other numbers to 1e-9.
            for (w, e) in zip(written, expected) {
                let a = try JSONSerialization.jsonObject(with: Data(w.utf8))
                let b = try JSONSerialization.jsonObject(with: Data(e.utf8))
                #expect(Self.close(a, b), "run: \(w)\nreplay: \(e)")
            }
        }
    }

    /// Equal JSON values, numbers within a relative 1e-9.
    static func close(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            return x.keys.sorted() == y.keys.sorted() && x.keys.allSatisfy { close(x[$0]!, y[$0]!) }
        case (let x as [Any], let y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { close($0, $1) }
        case (let x as NSNumber, let y as NSNumber):
            let (p, q) = (x.doubleValue, y.doubleValue)
            return p == q || abs(p - q) <= 1e-9 * max(abs(p), abs(q))
        default:
            return "\(a)" == "\(b)"
        }
    }
}
