import Foundation

/// Sends `signal` to `process` and returns its exit status, waiting up to `seconds` (see ``exitStatus(of:within:)``).
public func stopProcess(_ process: Process, signal: Int32 = SIGTERM, within seconds: Double = 60) -> Int32 {
    kill(process.processIdentifier, signal)
    return exitStatus(of: process, within: seconds)
}

/// Waits up to `seconds` for `process` to exit and returns its termination status. A process still running then is
/// taken for hung: what the kernel says of it (its signal masks and pending signals, each thread's state and wait
/// channel) goes to standard error, it is killed, and -1 is returned. The test fails; CI goes on instead of stalling
/// until its time limit, and its log says where the process was stuck.
public func exitStatus(of process: Process, within seconds: Double = 60) -> Int32 {
    if !waitFor(seconds, every: 0.02, { !process.isRunning }) {
        let report = hangReport(pid: process.processIdentifier, after: seconds)
        FileHandle.standardError.write(Data(report.utf8))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return -1
    }
    process.waitUntilExit()
    return process.terminationStatus
}

/// What /proc says of a process that did not end in time: the signal lines of its status, and per thread its name,
/// state, wait channel and the system call it is in.
public func hangReport(pid: Int32, after seconds: Double) -> String {
    func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "?" }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    var lines = ["process \(pid) still running after \(seconds) s:"]
    let fields = ["Name", "State", "Threads", "SigQ", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"]
    lines += read("/proc/\(pid)/status").split(separator: "\n").filter { line in
        fields.contains { line.hasPrefix($0 + ":") }
    }.map { "  " + $0 }
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    for task in tasks.sorted(by: { (Int($0) ?? 0) < (Int($1) ?? 0) }) {
        let dir = "/proc/\(pid)/task/\(task)"
        let stat = read(dir + "/stat")
        // The state follows the parenthesised name, which may itself hold spaces or parentheses.
        let state = stat.range(of: ") ", options: .backwards).map { String(stat[$0.upperBound...].prefix(1)) } ?? "?"
        let status = read(dir + "/status").split(separator: "\n").first { $0.hasPrefix("SigBlk:") } ?? "SigBlk: ?"
        lines.append(
            "  thread \(task) \(read(dir + "/comm")): state \(state), wchan \(read(dir + "/wchan")), "
                + "syscall \(read(dir + "/syscall").split(separator: " ").first ?? "?"), \(status)")
    }
    return lines.joined(separator: "\n") + "\n"
}
