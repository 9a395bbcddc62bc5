import DriftTestSupport
import Foundation
import Testing

/// The deployment files, checked by the tools that will read them.
@Suite struct DeployTests {
    let dir = TemporaryDirectory()

    @Test func systemdAcceptsTheUnitWithoutAWarning() throws {
        let analyze = try #require(which("systemd-analyze"), "systemd-analyze is missing (Debian's systemd package)")
        let unit = String(decoding: try readFile(packageRoot() + "/Deploy/systemd/driftd.service"), as: UTF8.self)
        #expect(unit.contains("Type=notify"))
        // verify wants the programs to exist: point it at the binary under test.
        try writeFile(
            dir.file("driftd.service"), unit.replacingOccurrences(of: "/usr/local/bin/driftd", with: driftdExecutable())
        )
        let verify = try runProcess(analyze, ["verify", "--man=no", dir.file("driftd.service")])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stderr.isEmpty, "no warning: \(verify.stderr)")
        let security = try runProcess(analyze, ["security", "--offline=yes", "--no-pager", dir.file("driftd.service")])
        let overall = security.stdoutText.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? ""
        let level = Double(overall.split(separator: " ").first { Double($0) != nil } ?? "10") ?? 10
        #expect(level <= 2.0, "exposure: \(overall)")
    }

    /// driftd's own health rules: valid for Prometheus, and each alert fires (and stays quiet) when its unit test
    /// says, against the counter names the textfile really has.
    @Test func theHealthRulesPassPromtoolAndTheirUnitTests() throws {
        let promtool = try #require(which("promtool"), "promtool is missing: run scripts/setup")
        let rules = packageRoot() + "/Deploy/prometheus/driftd-health.rules.yaml"
        let check = try runProcess(promtool, ["check", "rules", rules])
        #expect(check.status == 0, "\(check.stdoutText) \(check.stderr)")
        let test = try runProcess(
            promtool, ["test", "rules", packageRoot() + "/Deploy/prometheus/driftd-health.test.yaml"])
        #expect(test.status == 0, "\(test.stdoutText) \(test.stderr)")
        // The counters the rules read are counters driftd has (its catalog, which the textfile exports).
        let text = String(decoding: try readFile(rules), as: UTF8.self)
        let catalog = String(
            decoding: try readFile(packageRoot() + "/Sources/DriftCore/CounterCatalog.swift"), as: UTF8.self)
        for counter in ["windows_emitted_total", "hook_failures_total", "hook_dropped_total", "records_rejected_total"]
        {
            #expect(text.contains("driftd_" + counter))
            #expect(catalog.contains("\"\(counter)\""), "\(counter) is a counter driftd has")
        }
    }

    /// Fluent Bit's rewrite_tag re-emits a record under its new tag, from the start of the pipeline: when the new tag
    /// matches the filter's own `match`, the record is re-tagged again, forever (driftd.alert under driftd.*).
    @Test func fluentBitsRewrittenTagDoesNotMatchItsOwnFilter() throws {
        let text = String(decoding: try readFile(packageRoot() + "/Deploy/shippers/fluent-bit.yaml"), as: UTF8.self)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let start = try #require(lines.firstIndex { $0.hasSuffix("name: rewrite_tag") })
        let match = try #require(lines[start...].first { $0.hasPrefix("match:") }).dropFirst("match:".count)
            .trimmingCharacters(in: .whitespaces)
        let rule = try #require(lines[start...].first { $0.hasPrefix("rule:") }).split(separator: " ")
        let newTag = String(rule[3])
        #expect(fnmatch(match, newTag, 0) != 0, "\(newTag) must not match \(match)")
        #expect(lines.contains("match: \(newTag)"), "the re-tagged alerts have an output")
    }
}
