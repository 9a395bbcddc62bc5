import DriftTestSupport
import Foundation
import Testing

/// `replay` writes alerts to the metric file but runs the hooks only with `--hooks`: a backfill pages no one
/// (DESIGN §7). It used to run them: replaying a week of logs paged on-call for every window.
@Suite struct ReplayHooksTests {
    let dir = TemporaryDirectory("driftd-replay-hooks")
    let driftd = driftdExecutable()

    @Test func hooksRunOnlyWhenAsked() throws {
        let hook = dir.file("page.sh")
        try writeFile(hook, "#!/bin/sh\ncat >> \"$1\"\n")
        chmod(hook, 0o755)
        let lines = (0..<600).map { #"{"ts": \#(1_795_651_200 + $0), "model": "m", "features": {"x": \#($0 % 100)}}"# }
        try writeFile(dir.file("in.jsonl"), lines.joined(separator: "\n") + "\n")
        let config = dir.file("driftd.yaml")
        try writeFile(
            config,
            """
            inputs: [{path: in.jsonl}]
            windows: [{size: 1m, min_count: 1}]
            output: {dir: out}
            rules: [{alert: Always, expr: "count > 0", features: [x]}]
            hooks: [{name: pager, exec: ["\(hook)", "\(dir.file("paged.txt"))"], timeout: 5s}]
            """)
        let quiet = try runProcess(driftd, ["replay", "--config", config])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("paged.txt")), "no hook without --hooks")
        let written = splitLines(try readFile(dir.file("out/metrics.jsonl")))
        #expect(written.contains { $0.contains(#""kind":"alert""#) }, "the alert is in the metric file")
        let loud = try runProcess(driftd, ["replay", "--config", config, "--hooks", "--output-dir", dir.file("out2")])
        #expect(loud.status == 0, "\(loud.stderr)")
        let paged = String(decoding: (try? readFile(dir.file("paged.txt"))) ?? [], as: UTF8.self)
        #expect(paged.contains("\"alertname\":\"Always\""), "\(paged)")
    }
}

/// Exit codes a script can rely on (DESIGN §9).
@Suite struct ReplayExitTests {
    let dir = TemporaryDirectory("driftd-replay-exit")
    let driftd = driftdExecutable()

    @Test func inputWithNoUsableRecordExitsThreeAndVersionPrintsTheBuild() throws {
        try writeFile(dir.file("driftd.yaml"), "inputs: [{path: in.jsonl}]\noutput: {dir: out}\n")
        try writeFile(dir.file("in.jsonl"), "not json\n{\"ts\": \"yesterday\"}\n[1, 2]\n")
        let bad = try runProcess(driftd, ["replay", "--config", dir.file("driftd.yaml")])
        #expect(bad.status == 3, "\(bad.stderr)")
        #expect(bad.stderr.contains("no usable record: all 3 line(s) were rejected"), "\(bad.stderr)")
        try writeFile(dir.file("in.jsonl"), "not json\n{\"ts\": 1795651200, \"features\": {\"x\": 1}}\n")
        #expect(try runProcess(driftd, ["replay", "--config", dir.file("driftd.yaml")]).status == 0)
        try writeFile(dir.file("in.jsonl"), "")
        #expect(try runProcess(driftd, ["replay", "--config", dir.file("driftd.yaml")]).status == 0, "empty input")
        // Invalid arguments and an invalid config: 2 (ArgumentParser's own code was 64, an invalid config 1).
        #expect(try runProcess(driftd, ["replay", "--workers", "0", "--config", dir.file("driftd.yaml")]).status == 2)
        #expect(try runProcess(driftd, ["no-such-command"]).status == 2)
        try writeFile(dir.file("bad.yaml"), "inputs: [{path: x}]\nwindows: [{size: 5q}]\n")
        let invalid = try runProcess(driftd, ["replay", "--config", dir.file("bad.yaml")])
        #expect(invalid.status == 2 && invalid.stderr.contains("bad.yaml:2"), "\(invalid.stderr)")
        // A reference the config names that cannot be read: 2 as well, in replay and in run (it restarted in a loop).
        try writeFile(dir.file("ref.yaml"), "inputs: [{path: in.jsonl}]\nreference: missing.json\nstate_dir: s\n")
        #expect(try runProcess(driftd, ["replay", "--config", dir.file("ref.yaml")]).status == 2)
        #expect(try runProcess(driftd, ["run", "--config", dir.file("ref.yaml")]).status == 2)
        // exec as a string is not run through a shell: check says to write a list.
        try writeFile(dir.file("exec.yaml"), "inputs: [{path: x}]\nhooks: [{name: p, exec: \"/bin/echo hi\"}]\n")
        let exec = try runProcess(driftd, ["check", "--config", dir.file("exec.yaml")])
        #expect(
            exec.status == 2 && exec.stderr.contains("exec.yaml:2:25: hooks[].exec is an argv list"), "\(exec.stderr)")
        let version = try runProcess(driftd, ["--version"])
        #expect(version.status == 0)
        #expect(version.stdoutText.wholeMatch(of: /\d+\.\d+\.\d+ \((debug|release), Swift [^,]+, linux-\w+\)\n/) != nil)
    }

    /// `cat app.jsonl.zst | driftd replay … -` read the zstd bytes as text and rejected every line; standard input
    /// is now told by its first bytes.
    @Test func zstdOnStandardInputIsDecoded() throws {
        try writeFile(dir.file("driftd.yaml"), "inputs: [{path: \"-\"}]\noutput: {dir: out}\n")
        let lines = (0..<300).map { #"{"ts": \#(1_795_651_200 + $0), "features": {"x": \#($0)}}"# }
        try writeFile(dir.file("in.jsonl.zst"), zstdCompress(lines: lines).bytes)
        let r = try runProcess(
            driftd, ["replay", "--config", dir.file("driftd.yaml"), "-"], stdinFile: dir.file("in.jsonl.zst"))
        #expect(r.status == 0 && r.stderr.contains("300 records, 0 rejected"), "\(r.stderr)")
        try writeFile(dir.file("tiny.txt"), "x\n")
        let tiny = try runProcess(
            driftd, ["replay", "--config", dir.file("driftd.yaml"), "-"], stdinFile: dir.file("tiny.txt"))
        #expect(tiny.status == 3, "fewer bytes than a magic: read as text, rejected: \(tiny.stderr)")
    }
}
