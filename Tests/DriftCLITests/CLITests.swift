import DriftTestSupport
import Foundation
import Testing

/// The driftd executable, run as a user runs it.
@Suite struct CLITests {
    let dir = TemporaryDirectory()
    let driftd = driftdExecutable()

    func writeConfig(_ body: String) throws -> String {
        let path = dir.file("driftd.yaml")
        try writeFile(path, body)
        return path
    }

    @Test func checkNamesTheFileLineAndFixAndExitsNonZero() throws {
        let config = try writeConfig("inputs:\n  - path: a.zst\nwindows:\n  - size: 5m\n    slid: 5m\n")
        let r = try runProcess(driftd, ["check", "--config", config])
        #expect(r.status == 2, "an invalid config exits 2")
        #expect(r.stderr.contains("\(config):5:5: unknown key 'slid' in windows[]; did you mean 'slide'?"))
    }

    /// The shipped example is valid; what `check` still names is what `run` would load from this machine and
    /// cannot: the reference profile and the pager program the example points at.
    @Test func checkOfTheShippedConfigNamesOnlyWhatThisMachineLacks() throws {
        let r = try runProcess(driftd, ["check", "--config", packageRoot() + "/Config/driftd.yaml"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("reference: cannot read the reference profile /etc/driftd/reference.json"))
        #expect(r.stderr.contains("hook pager: /usr/local/bin/page does not exist"))
        #expect(r.stderr.contains("2 problems found"), "\(r.stderr)")
    }

    @Test func generateIsDeterministicAndWritesValidChecksummedZstd() throws {
        for name in ["a", "b"] {
            let r = try runProcess(
                driftd,
                [
                    "generate", "--output", dir.file("\(name).jsonl.zst"), "--records", "3000", "--seed", "7",
                    "--frame-lines", "400",
                ])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try readFile(dir.file("a.jsonl.zst"))
        #expect(a == (try readFile(dir.file("b.jsonl.zst"))))
        let test = try runProcess(zstdCLI(), ["-t", dir.file("a.jsonl.zst")])
        #expect(test.status == 0, "\(test.stderr)")
        let list = try runProcess(zstdCLI(), ["-lv", dir.file("a.jsonl.zst")])
        #expect(list.stdoutText.contains("# Zstandard Frames: 8"), "3000 lines, a frame per 400")
        #expect(list.stdoutText.contains("Check: XXH64"), "checksums on")
        let lines = splitLines(try runProcess(zstdCLI(), ["-dc", dir.file("a.jsonl.zst")]).stdout)
        #expect(lines.count == 3000)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] })
    }

    @Test func generateRotatesByRename() throws {
        let r = try runProcess(
            driftd, ["generate", "--output", dir.file("app.jsonl.zst"), "--records", "2500", "--rotate-every", "1000"])
        #expect(r.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["app.jsonl.zst", "app.jsonl.zst-0001", "app.jsonl.zst-0002"])
        let counts = try names.map { splitLines(try runProcess(zstdCLI(), ["-dc", dir.file($0)]).stdout).count }
        #expect(counts == [500, 1000, 1000])
    }

    @Test func replayReadsStandardInputAndSummarizes() throws {
        let gen = try runProcess(
            driftd, ["generate", "--output", dir.file("in.jsonl"), "--records", "1200", "--rate", "10"])
        #expect(gen.status == 0)
        let config = try writeConfig("inputs:\n  - path: \"-\"\nwindows:\n  - size: 1m\noutput:\n  dir: out\n")
        let r = try runProcess(driftd, ["replay", "--config", config], stdinFile: dir.file("in.jsonl"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("1200 records, 0 rejected"))
        let metrics = splitLines(try readFile(dir.file("out/metrics.jsonl")))
        let windows = metrics.compactMap { line -> Int? in
            guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                o["kind"] as? String == "window"
            else { return nil }
            return o["records"] as? Int
        }
        #expect(windows.count >= 2)  // 1200 records at 10/s span two minutes (and a little, with jitter)
        #expect(windows.reduce(0, +) == 1200)
    }

    @Test func baselineWritesAProfileThatReplayUses() throws {
        let gen = try runProcess(
            driftd, ["generate", "--output", dir.file("ref.jsonl.zst"), "--records", "3000", "--rate", "20"])
        #expect(gen.status == 0)
        let config = try writeConfig(
            "inputs:\n  - path: x\nwindows:\n  - size: 1m\n    min_count: 500\nreference: ref.json\noutput:\n  dir: out\n"
        )
        let b = try runProcess(
            driftd, ["baseline", "--config", config, "--output", dir.file("ref.json"), dir.file("ref.jsonl.zst")])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stderr.contains("baseline: 3000 records (0 rejected), 1 model(s), 19 features"))
        #expect(!b.stderr.contains("\r") && !b.stderr.contains("%"), "no progress line when stderr is not a TTY")
        #expect(!b.stderr.contains("warning"), "every feature has valid values")
        let r = try runProcess(driftd, ["replay", "--config", config, dir.file("ref.jsonl.zst")])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = splitLines(try readFile(dir.file("out/metrics.jsonl")))
        #expect(lines.contains { $0.contains(#""feature":"amount""#) && $0.contains(#""drift":{"psi":"#) })
        let stdin = try runProcess(driftd, ["baseline", "--config", config, "--output", dir.file("x.json"), "-"])
        #expect(stdin.status == 1 && stdin.stderr.contains("cannot take standard input"))
    }

    /// A reference in which a feature never has a valid value (always an object too deep, always null) says so: drift
    /// against it would measure nothing.
    @Test func baselineWarnsOfFeaturesWithoutAValidValue() throws {
        let lines = (0..<600).map { i in
            #"{"ts": \#(1_795_651_200 + i / 2), "model": "m", "features": {"a": \#(i % 50), "deep": {"a": {"b": {"c": {"d": {"e": 1}}}}}, "gone": null}}"#
        }
        try writeFile(dir.file("ref.jsonl"), lines.joined(separator: "\n") + "\n")
        let config = try writeConfig("inputs: [{path: x}]\nwindows: [{size: 1m}]\noutput: {dir: out}\n")
        let b = try runProcess(
            driftd, ["baseline", "--config", config, "--output", dir.file("ref.json"), dir.file("ref.jsonl")])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(
            b.stderr.contains(
                "baseline: warning: 2 feature(s) have no valid value in the reference (m/deep.a.b.c.d, m/gone): every value is "
                    + "missing or of the wrong type"), "\(b.stderr)")
    }

    @Test func onATerminalBaselineShowsProgress() throws {
        // script(1) gives the commands a pseudo-terminal; its output is what the terminal would show.
        let gen = try runProcess(
            driftd, ["generate", "--output", dir.file("ref.jsonl.zst"), "--records", "40000", "--rate", "20"])
        #expect(gen.status == 0)
        let config = try writeConfig("inputs: [{path: x}]\nwindows: [{size: 5m}]\noutput: {dir: out}\n")
        let base = "\(driftd) baseline --config \(config) --output \(dir.file("ref.json")) \(dir.file("ref.jsonl.zst"))"
        let b = try runProcess("/usr/bin/script", ["-q", "-e", "-c", base, "/dev/null"])
        #expect(b.status == 0)
        let shown = b.stdoutText
        #expect(shown.contains("\r\u{1B}[Kbaseline (3 passes): "), "\(shown)")
        #expect(shown.contains("records/s"))
        #expect(shown.contains("baseline: 40000 records"), "the summary follows on a cleared line")
    }

    @Test func thePrometheusTextfileIsAcceptedByPromtool() throws {
        let gen = try runProcess(
            driftd, ["generate", "--output", dir.file("ref.jsonl.zst"), "--records", "3000", "--rate", "20"])
        #expect(gen.status == 0)
        let config = try writeConfig(
            """
            inputs: [{path: x}]
            windows: [{size: 1m, min_count: 10}]
            reference: ref.json
            output: {dir: out, prometheus_textfile: textfile/driftd.prom}
            """)
        try FileManager.default.createDirectory(atPath: dir.file("textfile"), withIntermediateDirectories: true)
        #expect(
            try runProcess(
                driftd, ["baseline", "--config", config, "--output", dir.file("ref.json"), dir.file("ref.jsonl.zst")]
            ).status == 0)
        let r = try runProcess(driftd, ["replay", "--config", config, dir.file("ref.jsonl.zst")])
        #expect(r.status == 0, "\(r.stderr)")
        let text = String(decoding: try readFile(dir.file("textfile/driftd.prom")), as: UTF8.self)
        #expect(text.contains(#"driftd_feature_psi{model="fraud-v3",feature="amount",window="1m"} "#))
        #expect(text.contains("driftd_windows_emitted_total "))
        let promtool = try #require(which("promtool"), "promtool is missing: run scripts/setup")
        let check = try runProcess(promtool, ["check", "metrics"], stdinFile: dir.file("textfile/driftd.prom"))
        #expect(check.status == 0, "\(check.stdoutText) \(check.stderr)")
    }

    @Test func logsAsLogfmtOrJSONWithJournalPriorities() throws {
        try writeFile(dir.file("bad.jsonl"), "not json\n" + #"{"ts":1795651200,"features":{"x":1}}"# + "\n")
        let config = try writeConfig("inputs: [{path: x}]\noutput: {dir: out}\n")
        let json = try runProcess(
            driftd, ["replay", "--config", config, "--log-format", "json", dir.file("bad.jsonl")])
        let warning = try #require(json.stderr.split(separator: "\n").first { $0.contains("line rejected") })
        let object = try #require(JSONSerialization.jsonObject(with: Data(warning.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning" && object["file"] as? String == dir.file("bad.jsonl"))
        // Counts and offsets are JSON numbers, not strings.
        #expect(warning.contains(#""line":1,"#) && warning.contains(#""offset":0"#), "\(warning)")
        #expect(object["line"] as? Int == 1)
        // Each line carries its time, outside the journal (which stamps lines itself).
        let ts = try #require(object["ts"] as? String)
        #expect(ts.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(warning)")
        let logfmt = try runProcess(driftd, ["replay", "--config", config, dir.file("bad.jsonl")])
        #expect(
            logfmt.stderr.split(separator: "\n").contains {
                $0.firstMatch(of: /^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=warning msg="line rejected/) != nil
            }, "\(logfmt.stderr)")
        var environment = ProcessInfo.processInfo.environment
        environment["JOURNAL_STREAM"] = "8:12345"
        let journal = try runProcess(
            driftd, ["replay", "--config", config, dir.file("bad.jsonl")], environment: environment)
        #expect(journal.stderr.contains("<4>level=warning msg=\"line rejected: not valid JSON"))
        #expect(!journal.stderr.contains("ts="), "journald stamps lines itself")
    }

    @Test func replayOfAMissingFileSaysWhatIsWrong() throws {
        let config = try writeConfig("inputs:\n  - path: x.zst\noutput:\n  dir: out\n")
        let r = try runProcess(driftd, ["replay", "--config", config, dir.file("nope.jsonl.zst")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("nope.jsonl.zst: no such file"))
    }

    /// `report --at` draws the window asked for; a time that is not RFC 3339 is refused with an example.
    @Test func reportDrawsTheWindowAskedForAndRefusesABadTime() throws {
        try FileManager.default.createDirectory(atPath: dir.file("m"), withIntermediateDirectories: true)
        let lines = ["10:05", "10:10", "10:15"].map { t in
            #"{"kind":"feature","model":"m","window":"5m","window_end":"2026-11-26T\#(t):00Z","feature":"x","type":"categorical","count":4,"missing":0,"invalid":0,"top":[{"value":"at\#(t)","count":4}],"drift":{"psi":\#(t == "10:15" ? 0.5 : 0.01)}}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: dir.file("m/metrics.jsonl"), atomically: true, encoding: .utf8)
        let r = try runProcess(
            driftd,
            ["report", "--metrics", dir.file("m"), "--output", dir.file("r.html"), "--at", "2026-11-26T10:07:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = String(decoding: try readFile(dir.file("r.html")), as: UTF8.self)
        #expect(html.contains("top values, chosen window (2026-11-26 10:10)") && html.contains("window at10:10"))
        let bad = try runProcess(driftd, ["report", "--metrics", dir.file("m"), "--at", "yesterday"])
        #expect(bad.status != 0 && bad.stderr.contains("--at yesterday is not an RFC 3339 time"), "\(bad.stderr)")
    }
}
