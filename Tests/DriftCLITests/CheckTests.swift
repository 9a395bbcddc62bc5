import DriftTestSupport
import Foundation
import Testing

/// `driftd check` validates what `run` loads: it said OK to a missing, corrupt or foreign reference, and `run`
/// then exited 1 in a restart loop under systemd.
@Suite struct CheckTests {
    let dir = TemporaryDirectory()
    let driftd = driftdExecutable()

    func check(_ body: String) throws -> ProcessResult {
        let config = dir.file("driftd.yaml")
        try writeFile(config, "inputs:\n  - path: logs/*.jsonl\n" + body)
        return try runProcess(driftd, ["check", "--config", config])
    }

    @Test(arguments: [
        ("missing", "cannot read the reference profile"),
        ("corrupt", "is not a driftd reference profile"),
        ("foreign", "is not a driftd reference profile"),
        ("damaged", "is a damaged reference profile"),
    ])
    func aReferenceRunCouldNotLoadFailsCheck(how: String, message: String) throws {
        switch how {
        case "corrupt": try writeFile(dir.file("ref.json"), "{\"format\": \"driftd-ref")
        case "foreign": try writeFile(dir.file("ref.json"), #"{"format": "whylogs", "version": 1}"#)
        case "damaged":
            try writeFile(dir.file("ref.json"), #"{"format": "driftd-reference", "version": 1, "chunk": "5m"}"#)
        default: break
        }
        let r = try check("reference: ref.json\n")
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.contains("driftd baseline"), "says what to do")
    }

    @Test func hookProgramsThatCannotStartFailCheck() throws {
        try writeFile(dir.file("not-executable.sh"), "#!/bin/sh\n")
        let r = try check(
            """
            hooks:
              - name: gone
                exec: [./no-such-program]
              - name: plain
                exec: [./not-executable.sh]
              - name: bare
                exec: [no-such-program-on-path]
              - name: fine
                exec: [sh, -c, "true"]
            """)
        #expect(r.status != 0)
        #expect(r.stderr.contains("hook gone: \(dir.path)/./no-such-program does not exist"), "\(r.stderr)")
        #expect(r.stderr.contains("hook plain: \(dir.path)/./not-executable.sh is not executable"))
        #expect(r.stderr.contains("hook bare: no-such-program-on-path is not found on PATH"))
        #expect(!r.stderr.contains("hook fine"))
        #expect(r.stderr.contains("3 problems found"))
    }
}
