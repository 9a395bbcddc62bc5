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
}
