import Foundation

/// The outcome of a child process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: String
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs a real program (no shell) to completion, feeding `stdin` from a file when given. One still running after
/// `timeout` seconds is reported as hung (``hangReport(pid:after:)``) and killed, so that its test fails instead of
/// stalling the run.
public func runProcess(
    _ executable: String, _ arguments: [String], stdinFile: String? = nil,
    environment: [String: String]? = nil, timeout: Double = 600
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let stdinFile { process.standardInput = FileHandle(forReadingAtPath: stdinFile) }
    try process.run()
    let pid = process.processIdentifier
    let watchdog = DispatchWorkItem {
        FileHandle.standardError.write(Data(hangReport(pid: pid, after: timeout).utf8))
        kill(pid, SIGKILL)
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
    // Read both pipes concurrently so that neither fills up and blocks the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    watchdog.cancel()
    return ProcessResult(
        status: process.terminationStatus, stdout: Array(outData),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// The path of a program on `PATH`, or nil.
public func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// The `zstd` command-line tool, the independent reference for decoding (installed by scripts/test). Missing, it
/// fails the tests that need it, with the fix, not the whole run.
public func zstdCLI() throws -> String {
    guard let path = which("zstd") else {
        throw CocoaError(
            .executableNotLoadable,
            userInfo: [NSLocalizedDescriptionKey: "the zstd command is missing: run scripts/test, which installs it"])
    }
    return path
}

/// The driftd executable built next to the test bundle.
public func driftdExecutable() -> String {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("driftd").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    fatalError("driftd executable not found near \(exe.path); run `swift build` first")
}

/// The package's root directory (for committed fixtures and Config/).
public func packageRoot(_ file: String = #filePath) -> String {
    var url = URL(fileURLWithPath: file)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    fatalError("Package.swift not found above \(file)")
}

/// Starts a real program (no shell) and returns while it runs; its output is appended to the files named (created
/// when missing, so that the runs of a restarted program follow each other), else goes nowhere.
public func startProcess(
    _ executable: String, _ arguments: [String], stdout: String? = nil, stderr: String? = nil,
    environment: [String: String]? = nil
) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.standardOutput = try stdout.map(appending) ?? FileHandle.nullDevice
    process.standardError = try stderr.map(appending) ?? FileHandle.nullDevice
    try process.run()
    return process
}

private func appending(_ path: String) throws -> FileHandle {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
}

/// Polls `condition` every `interval` seconds until it holds or `seconds` have passed; returns its last value.
public func waitFor(_ seconds: Double, every interval: Double = 0.1, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(UInt32(interval * 1e6))
    }
    return condition()
}

/// The records `driftd run`'s last checkpoint in `stateDirectory` says were processed (0 before the first).
public func checkpointedRecords(in stateDirectory: String) -> Int {
    guard let data = FileManager.default.contents(atPath: stateDirectory + "/checkpoint.json"),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let aggregator = object["aggregator"] as? [String: Any]
    else { return 0 }
    return aggregator["records"] as? Int ?? 0
}
