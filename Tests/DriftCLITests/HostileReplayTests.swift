import DriftTestSupport
import Foundation
import Testing

/// `driftd replay` as released, on inputs from a hostile or careless writer.
@Suite struct HostileReplayTests {
    let dir = TemporaryDirectory()
    let driftd = driftdExecutable()

    func config(_ body: String) throws -> String {
        let path = dir.file("driftd.yaml")
        try writeFile(path, body)
        return path
    }

    /// NUL and escape bytes in model and feature names reached the logfmt log and the textfile raw.
    @Test func controlCharactersInNamesNeverReachTheLogOrTheTextfileRaw() throws {
        let lines =
            (0..<30).map {
                #"{"ts":\#(1_795_687_200 + $0),"model":"m\u0000\u001b[31m","features":{"x\u0000y":\#($0)}}"#
            }
            // Late: logged with the model.
            + [#"{"ts":1795687201,"model":"m\u0000\u001b[31m","features":{"x\u0000y":1}}"#]
        try writeFile(dir.file("in.jsonl"), lines.joined(separator: "\n") + "\n")
        try FileManager.default.createDirectory(atPath: dir.file("prom"), withIntermediateDirectories: true)
        let c = try config(
            """
            inputs: [{path: x}]
            windows: [{size: 10s, allowed_lateness: 0s}]
            output: {dir: out, prometheus_textfile: prom/driftd.prom}
            """)
        let r = try runProcess(driftd, ["replay", "--config", c, dir.file("in.jsonl")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("late record dropped"), "\(r.stderr)")
        #expect(r.stderr.contains(#"m\u0000\u001b[31m"#), "escaped in the log: \(r.stderr)")
        #expect(
            !r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no raw control character in the log")
        let prom = try readFile(dir.file("prom/driftd.prom"))
        #expect(!prom.contains { $0 < 0x20 && $0 != 0x0A }, "no raw control byte in the textfile")
        let promtool = try #require(which("promtool"), "promtool is missing: run scripts/setup")
        let check = try runProcess(promtool, ["check", "metrics"], stdinFile: dir.file("prom/driftd.prom"))
        #expect(check.status == 0, "\(check.stdoutText) \(check.stderr)")
    }

    /// The textfile dropped every counter with labels (`where !counter.contains("{")`).
    @Test func theTextfileHoldsEveryCounterWithItsLabelsAndPromtoolTakesIt() throws {
        let lines = ["not json", #"{"ts":{}}"#, #"{"ts":1795687200,"features":{"":1,"x":1}}"#]
        try writeFile(dir.file("in.jsonl"), lines.joined(separator: "\n") + "\n")
        try FileManager.default.createDirectory(atPath: dir.file("prom"), withIntermediateDirectories: true)
        let c = try config("inputs: [{path: x}]\noutput: {dir: out, prometheus_textfile: prom/driftd.prom}\n")
        let r = try runProcess(driftd, ["replay", "--config", c, dir.file("in.jsonl")])
        #expect(r.status == 0, "\(r.stderr)")
        let text = String(decoding: try readFile(dir.file("prom/driftd.prom")), as: UTF8.self)
        #expect(text.contains(#"driftd_records_rejected_total{reason="invalid_json"} 1"#), "\(text)")
        #expect(text.contains(#"driftd_records_rejected_total{reason="bad_timestamp"} 1"#))
        #expect(text.contains(#"driftd_feature_values_dropped_total{reason="bad_name"} 1"#))
        #expect(text.contains("# HELP driftd_records_rejected_total Lines not taken as records, by reason."))
        #expect(!text.contains("driftd_records_rejected_total 2"), "no total beside its series")
        // Which driftd wrote it, as prometheus_build_info says which Prometheus runs.
        #expect(text.contains("# TYPE driftd_build_info gauge"))
        #expect(text.contains(#"driftd_build_info{version=""#) && text.contains(#"platform="linux-"#), "\(text)")
        let promtool = try #require(which("promtool"), "promtool is missing: run scripts/setup")
        let check = try runProcess(promtool, ["check", "metrics"], stdinFile: dir.file("prom/driftd.prom"))
        #expect(check.status == 0, "\(check.stdoutText) \(check.stderr)")
    }

    /// A directory matching the glob aborted replay.
    @Test func aDirectoryOrFIFOMatchingTheGlobIsSkippedAndTheFilesAreRead() throws {
        try FileManager.default.createDirectory(atPath: dir.file("logs/a-dir.jsonl"), withIntermediateDirectories: true)
        #expect(mkfifo(dir.file("logs/b-fifo.jsonl"), 0o644) == 0)
        try writeFile(dir.file("logs/c.jsonl"), #"{"ts":1795687200,"features":{"x":1}}"# + "\n")
        let c = try config("inputs: [{path: \"logs/*.jsonl\"}]\noutput: {dir: out}\n")
        let r = try runProcess(driftd, ["replay", "--config", c])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("1 records"))
        #expect(r.stderr.contains("a-dir.jsonl") && r.stderr.contains("is a directory, not a regular file"))
        #expect(r.stderr.contains("is a FIFO, not a regular file"))
    }

    @Test func anAbsurdNumberOfWorkersIsRefused() throws {
        let c = try config("inputs: [{path: x}]\noutput: {dir: out}\n")
        let r = try runProcess(driftd, ["replay", "--config", c, "--workers", "100000", dir.file("none")])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--workers must be between 1 and 256"))
    }
}
