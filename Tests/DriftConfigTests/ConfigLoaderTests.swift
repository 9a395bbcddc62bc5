import DriftConfig
import DriftCore
import Foundation
import Testing

@Suite struct ConfigLoaderTests {
    func errors(_ yaml: String) -> [ConfigDiagnostic] {
        do {
            _ = try ConfigLoader.parse(yaml: yaml, file: "/etc/driftd/driftd.yaml")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func theShippedExampleIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let config = try ConfigLoader.load(path: root.appendingPathComponent("Config/driftd.yaml").path)
        #expect(config.inputs.first?.path == "/var/log/inference/*.jsonl.zst*")
        #expect(config.windows.map(\.label) == ["5m", "1h"])
        #expect(config.windows[0].allowedLateness == .seconds(60))
        #expect(config.rules.count == 15, "the default rule set (14) and the example rule")
        #expect(config.rules.contains { $0.name == "FeatureDrift" && $0.expr == "psi >= 0.2" })
        #expect(config.limits.maxLineBytes == 1 << 20)
    }

    @Test func defaultsApplyToEveryKeyButInputs() throws {
        let c = try ConfigLoader.parse(yaml: "inputs:\n  - path: logs/*.zst\n", file: "/etc/driftd/d.yaml")
        #expect(
            c.inputs == [.init(path: "/etc/driftd/logs/*.zst", startAt: .beginning)],
            "relative to the config's directory")
        #expect(c.windows.map(\.label) == ["5m"])
        #expect(c.schema.timestamp == "ts")
        #expect(c.output.dir == "/var/lib/driftd/metrics")
        #expect(c.output.maxBytes.bytes == 64 << 20)
    }

    @Test func anUnknownKeyIsNamedWithItsLineAndTheNearestKnownKey() {
        let e = errors("inputs:\n  - path: a.zst\nwindws:\n  - size: 5m\n")
        #expect(e.count == 1)
        #expect(e.first?.line == 3)
        #expect(e.first?.description.hasPrefix("/etc/driftd/driftd.yaml:3:1: unknown key 'windws'") == true)
        #expect(e.first?.message.contains("did you mean 'windows'?") == true)
    }

    @Test func badValuesSayWhatToWriteInstead() {
        let e = errors(
            """
            inputs:
              - path: a.zst
                start_at: middle
            windows:
              - size: 5 minutes
              - size: 10m
                slide: 3m
            output:
              max_bytes: lots
              keep: 0
            """)
        let byLine = Dictionary(grouping: e, by: \.line)
        #expect(byLine[3]?.first?.message.contains("one of beginning, end") == true)
        #expect(byLine[5]?.first?.message.contains("30s, 5m, 1h") == true)
        #expect(byLine[7]?.first?.message.contains("must divide the size") == true)
        #expect(byLine[9]?.first?.message.contains("64MiB") == true)
        #expect(byLine[10]?.first?.message.contains("≥ 1") == true)
        #expect(e.count == 5)
    }

    @Test func inputsAreRequired() {
        #expect(errors("windows:\n  - size: 5m\n").first?.message.contains("needs 'inputs'") == true)
        #expect(errors("").first?.message.contains("empty") == true)
    }

    @Test func yamlSyntaxErrorsCarryTheirLine() {
        let e = errors("inputs:\n  - path: a.zst\n windows: [\n")
        #expect(e.count == 1)
        #expect(e.first?.message.hasPrefix("not valid YAML") == true)
        #expect((e.first?.line ?? 0) >= 2)
    }

    @Test func rulesAndHooksAreValidatedKeyByKey() {
        let e = errors(
            """
            inputs: [{path: a.zst}]
            rules:
              - alert: X
                expr: "psi > 0.2"
                severity: urgent
                fore: 3
            hooks:
              - name: pager
                exec: []
              - name: both
                log: true
                webhook: http://x
            """)
        #expect(e.contains { $0.line == 5 && $0.message.contains("info, warning, critical") })
        #expect(e.contains { $0.line == 6 && $0.message.contains("did you mean 'for'?") })
        #expect(e.contains { $0.line == 9 && $0.message.contains("argv") })
        #expect(e.contains { $0.line == 10 && $0.message.contains("exactly one of") })
    }

    @Test func schemaPathsAndTogglesAreRead() throws {
        let c = try ConfigLoader.parse(
            yaml: """
                inputs: [{path: "-"}]
                schema:
                  timestamp: meta.time
                  features: [input.a, input.b]
                  actual: null
                """, file: "x.yaml")
        #expect(c.inputs.first?.path == "-")
        #expect(c.schema.timestamp == "meta.time")
        #expect(c.schema.features == .list(["input.a", "input.b"]))
        #expect(c.schema.actual == nil)
        #expect(c.schema.prediction == "prediction")
    }

    @Test func ruleExpressionsAreCheckedWithTheirLine() {
        let e = errors("inputs: [{path: a.zst}]\nrules:\n  - alert: X\n    expr: \"psii > 0.2\"\n")
        #expect(e.count == 1)
        #expect(e.first?.line == 4)
        #expect(e.first?.message.contains("unknown measure 'psii'; did you mean 'psi'?") == true)
    }

    @Test func ruleFilesAreCheckedWithTheirOwnName() throws {
        let dir = NSTemporaryDirectory() + "/driftd-rules-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "rules:\n  - alert: Good\n    expr: \"js > 0.1\"\n  - alert: Bad\n    expr: \"js >> 1\"\n"
            .write(toFile: dir + "/rules.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try ConfigLoader.parse(yaml: "inputs: [{path: a}]\nrule_files: [rules.yaml]\n", file: dir + "/d.yaml")
            Issue.record("a bad rule file was accepted")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.file == dir + "/rules.yaml")
            #expect(error.diagnostics.first?.line == 5)
        }
    }
}

/// The shipped example config mentions every key driftd knows (and `driftd check` validates it).
@Suite struct ExampleConfigTests {
    @Test func theExampleCoversEveryKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Config/driftd.yaml"), encoding: .utf8)
        // Keys as written at the start of a line (indented or in a list item), before a colon.
        var written: Set<String> = []
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            guard let colon = trimmed.firstIndex(of: ":"), !trimmed.hasPrefix("#") else { continue }
            written.insert(String(trimmed[..<colon]))
        }
        for (section, keys) in ConfigLoader.knownKeys {
            for key in keys { #expect(written.contains(key), "Config/driftd.yaml lacks \(section).\(key)") }
        }
        _ = try ConfigLoader.load(path: root.appendingPathComponent("Config/driftd.yaml").path)
    }

    /// docs/configuration.md names every key the loader knows.
    @Test func theReferenceDocumentsEveryKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        for (section, keys) in ConfigLoader.knownKeys {
            for key in keys { #expect(doc.contains("`\(key)`"), "docs/configuration.md lacks \(section).\(key)") }
        }
    }
}
