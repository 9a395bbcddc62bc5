import DriftTestSupport
import Foundation
import Testing

/// The systemd deployment as installed: Deploy/systemd/install.sh into a temporary root (its users by
/// systemd-sysusers, its directories by systemd-tmpfiles), the unit verified there, then driftd run as the unit
/// runs it — as user driftd, with the unit's UMask — and what it writes read by a member of group driftd (as
/// node_exporter and Vector are) and refused to anyone else. Needs root (setpriv to other users), as CI has.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root: runs driftd and its readers as other users"))
struct SystemdInstallTests {
    let dir = TemporaryDirectory("driftd-install")
    let driftd = driftdExecutable()

    /// `key=` of the unit's [Service] section.
    func unitValue(_ unit: String, _ key: String) -> String? {
        unit.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    /// uid and gid of `name` in `root`'s /etc/passwd.
    func user(_ name: String, in root: String) throws -> (uid: Int, gid: Int) {
        let passwd = String(decoding: try readFile(root + "/etc/passwd"), as: UTF8.self)
        let fields = try #require(passwd.split(separator: "\n").first { $0.hasPrefix(name + ":") }).split(
            separator: ":")
        return (Int(fields[2])!, Int(fields[3])!)
    }

    /// Runs `arguments` as uid/gid with the supplementary `groups` and `umask`.
    func runAs(_ uid: Int, _ gid: Int, groups: [Int] = [], umask: String = "0022", _ arguments: [String]) throws
        -> ProcessResult
    {
        let groupArg = groups.isEmpty ? "--clear-groups" : "--groups=" + groups.map(String.init).joined(separator: ",")
        return try runProcess(
            "/usr/bin/setpriv",
            ["--reuid=\(uid)", "--regid=\(gid)", groupArg, "/bin/sh", "-c", "umask \(umask) && exec \"$@\"", "sh"]
                + arguments)
    }

    @Test func installsVerifiesRunsAndWritesWhatItsGroupCanRead() throws {
        let root = dir.file("root")
        chmod(dir.path, 0o755)  // the service user must reach the binary and the root below
        // What the root has of a Debian system: systemd's own units (verify resolves the unit's dependencies),
        // /bin/kill (ExecReload), and node_exporter's textfile directory as Debian ships it: root's, 0755.
        try FileManager.default.createDirectory(atPath: root + "/usr/lib/systemd", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/lib/systemd/system", toPath: root + "/usr/lib/systemd/system")
        try FileManager.default.copyItem(atPath: "/bin/kill", toPath: root + "/bin/kill")
        try FileManager.default.createDirectory(
            atPath: root + "/var/lib/prometheus/node-exporter", withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
        let install = try runProcess(
            packageRoot() + "/Deploy/systemd/install.sh", [driftd],
            environment: ["DESTDIR": root, "PATH": "/usr/bin:/bin"])
        #expect(install.status == 0, "\(install.stderr)")

        // The unit as installed: systemd-analyze finds its programs in the root, with no warning.
        let unit = String(decoding: try readFile(root + "/etc/systemd/system/driftd.service"), as: UTF8.self)
        let verify = try runProcess(
            "/usr/bin/systemd-analyze", ["verify", "--man=no", "--root=" + root, "/etc/systemd/system/driftd.service"])
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        #expect(unitValue(unit, "User") == "driftd" && unitValue(unit, "DynamicUser") == nil)
        #expect(unitValue(unit, "SupplementaryGroups") == nil, "no group that reads all of /var/log")
        let umask = try #require(unitValue(unit, "UMask"))

        // sysusers made the user; tmpfiles its directories (0750) and the link from node_exporter's directory.
        let (uid, gid) = try user("driftd", in: root)
        let state = try FileManager.default.attributesOfItem(atPath: root + "/var/lib/driftd")
        #expect((state[.posixPermissions] as? Int) == 0o750)
        #expect((state[.ownerAccountID] as? Int) == uid && (state[.groupOwnerAccountID] as? Int) == gid)
        let link = try FileManager.default.destinationOfSymbolicLink(
            atPath: root + "/var/lib/prometheus/node-exporter/driftd.prom")
        #expect(link == "/var/lib/driftd/textfile/driftd.prom")
        for rule in ["default.yaml"] {
            #expect(FileManager.default.fileExists(atPath: root + "/etc/driftd/rules/" + rule))
        }

        // The installed config, with its absolute paths moved into the root (the only change), passes
        // ExecStartPre's check as user driftd, and run writes its files.
        let installed = String(decoding: try readFile(root + "/etc/driftd/driftd.yaml"), as: UTF8.self)
        let config = root + "/etc/driftd/driftd-test.yaml"
        try writeFile(
            config,
            installed.replacingOccurrences(of: "/var/", with: root + "/var/")
                .replacingOccurrences(of: "127.0.0.1:9797", with: "127.0.0.1:0"))
        try FileManager.default.createDirectory(atPath: root + "/var/log/inference", withIntermediateDirectories: true)
        let log = root + "/var/log/inference/a.jsonl.zst"
        let lines = (0..<20).map { #"{"ts":\#(1_795_651_200 + $0 * 60),"features":{"x":\#($0)}}"# }
        try writeFile(log, zstdCompress(lines: lines).bytes)
        // The logs: readable by group driftd only, as the unit's comment tells.
        chown(root + "/var/log/inference", 0, gid_t(gid))
        chmod(root + "/var/log/inference", 0o750)
        chown(log, 0, gid_t(gid))
        chmod(log, 0o640)
        let check = try runAs(uid, gid, umask: umask, [root + "/usr/local/bin/driftd", "check", "--config", config])
        #expect(check.status == 0, "\(check.stderr)")

        let stderr = dir.file("run.log")
        _ = FileManager.default.createFile(atPath: stderr, contents: nil)
        let run = try startProcess(
            "/usr/bin/setpriv",
            [
                "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "/bin/sh", "-c", "umask \(umask) && exec \"$@\"",
                "sh",
                root + "/usr/local/bin/driftd", "run", "--config", config,
            ], stderr: stderr)
        defer { if run.isRunning { kill(run.processIdentifier, SIGKILL) } }
        let metrics = root + "/var/lib/driftd/metrics/metrics.jsonl"
        let textfile = root + "/var/lib/driftd/textfile/driftd.prom"
        let wrote = waitFor(20) {
            FileManager.default.fileExists(atPath: textfile)
                && checkpointedRecords(in: root + "/var/lib/driftd/state") == 20
        }
        let early = String(decoding: try readFile(stderr), as: UTF8.self)
        #expect(wrote, "\(early)")
        let status = stopProcess(run)
        let runLog = String(decoding: try readFile(stderr), as: UTF8.self)
        #expect(status == 0 && wrote, "\(runLog)")

        // A reader in another primary group but in group driftd (node_exporter's prometheus user after install.sh)
        // reads both, the textfile where node_exporter's link points (in the root); anyone else is refused.
        let reader = try runAs(
            61_001, 61_001, groups: [gid],
            ["/bin/cat", metrics, root + link])
        #expect(reader.status == 0, "\(reader.stderr)")
        #expect(reader.stdoutText.contains(#""kind":"window""#) && reader.stdoutText.contains("driftd_build_info"))
        let stranger = try runAs(61_002, 61_002, ["/bin/cat", metrics])
        #expect(stranger.status != 0 && stranger.stderr.contains("Permission denied"), "\(stranger.stderr)")
        for path in [metrics, textfile] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o640, "\(path): \(String(mode ?? 0, radix: 8))")
        }
    }
}
