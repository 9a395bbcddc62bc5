import DriftTestSupport
import Foundation
import Testing

/// `driftd run` under a systemd-like supervisor: sd_notify messages on a real datagram socket, in order, through
/// SIGHUP with a good and a bad config, and SIGTERM.
@Suite(.serialized) struct SystemdNotifyTests {
    let dir = TemporaryDirectory("driftd-notify")
    let driftd = driftdExecutable()

    /// A datagram socket bound at `path`, read with a timeout.
    final class NotifySocket {
        let fd: Int32
        init(path: String) throws {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, b) in path.utf8.enumerated() { raw[i] = b }
            }
            let ok = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard ok == 0 else { throw POSIXError(.EADDRINUSE) }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        deinit { close(fd) }

        /// Messages received within `seconds`, until one satisfies `until`.
        func receive(for seconds: Double, until: (String) -> Bool = { _ in false }) -> [String] {
            var messages: [String] = []
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { continue }
                let message = String(decoding: buffer[0..<n], as: UTF8.self)
                messages.append(message)
                if until(message) { break }
            }
            return messages
        }
    }

    @Test func readyStatusReloadAndStoppingInOrder() throws {
        try FileManager.default.createDirectory(atPath: dir.file("logs"), withIntermediateDirectories: true)
        try writeFile(dir.file("logs/a.jsonl"), #"{"ts":1795651200,"features":{"x":1}}"# + "\n")
        let config = dir.file("driftd.yaml")
        let good = "inputs: [{path: \"logs/*.jsonl\"}]\noutput: {dir: out}\nstate_dir: state\n"
        try writeFile(config, good)
        let socket = try NotifySocket(path: dir.file("notify.sock"))
        let log = dir.file("run.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let run = try startProcess(
            driftd, ["run", "--config", config], stderr: log,
            environment: ["NOTIFY_SOCKET": dir.file("notify.sock"), "WATCHDOG_USEC": "2000000"])

        let startup = socket.receive(for: 10) { $0.contains("READY=1") }
        #expect(startup.count == 1 && startup.first?.hasPrefix("READY=1\nSTATUS=") == true, "READY=1 first: \(startup)")

        // The pipeline's rounds ping the watchdog (every WATCHDOG_USEC / 2 at most).
        let pings = socket.receive(for: 4) { $0 == "WATCHDOG=1" }
        #expect(pings.contains("WATCHDOG=1"), "\(pings)")

        // A good new config: RELOADING=1, then READY=1.
        try writeFile(config, good + "rules: [{alert: X, expr: \"records > 0\"}]\n")
        kill(run.processIdentifier, SIGHUP)
        // (Watchdog pings and status lines may come in between; the order of the others is the contract.)
        let lifecycle = { (messages: [String]) in messages.filter { $0 != "WATCHDOG=1" && !$0.hasPrefix("STATUS=") } }
        let reload = lifecycle(socket.receive(for: 10) { $0.contains("READY=1") })
        #expect(reload.first == "RELOADING=1", "\(reload)")
        #expect(reload.last?.contains("READY=1") == true)

        // A bad one: refused with file and line, the old config stays, READY=1 again.
        try writeFile(config, good + "windws: []\n")
        kill(run.processIdentifier, SIGHUP)
        let refused = lifecycle(socket.receive(for: 10) { $0.contains("READY=1") })
        #expect(refused.first == "RELOADING=1" && refused.last?.contains("READY=1") == true, "\(refused)")

        kill(run.processIdentifier, SIGTERM)
        let stopping = socket.receive(for: 10) { $0.contains("STOPPING=1") }
        #expect(stopping.contains("STOPPING=1"), "\(stopping)")
        #expect(exitStatus(of: run) == 0)
        let text = String(decoding: try readFile(log), as: UTF8.self)
        #expect(text.contains("config reloaded"))
        #expect(text.contains("config reload refused: \(config):4:1: unknown key 'windws'"))
        #expect(text.contains("the previous config stays in force"))
    }
}
