import ArgumentParser
import DriftConfig
import DriftCore
import DriftSystem
import Foundation
import Logging

@main
struct Driftd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftd",
        abstract: "Watch ML prediction logs for drift: per-window statistics, drift measures and alerts.",
        discussion: "Start with `driftd demo`, or `driftd replay --config Config/driftd.yaml FILES…`.",
        version: BuildInfo.line,
        subcommands: [
            RunCommand.self, ReplayCommand.self, BaselineCommand.self, CheckCommand.self, DemoCommand.self,
            GenerateCommand.self, ReportCommand.self, MergeCommand.self,
        ]
    )

    static func main() {
        AllocatorTuning.apply()
        // A file size limit (ulimit -f) or a full quota must fail the write (EFBIG), which driftd handles,
        // not kill the daemon.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // Invalid arguments exit 2, as an invalid config does (ArgumentParser's own code is 64).
            if exitCode(for: error) == .validationFailure {
                FileHandleStderr.write(fullMessage(for: error) + "\n")
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}

/// Options every pipeline command shares.
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevel = .info
    @Option(name: .long, help: "Log format on standard error: logfmt or json.")
    var logFormat: LogfmtLogHandler.Format = .logfmt

    func bootstrap() -> Telemetry { Self.bootstrap(level: logLevel.level, format: logFormat) }

    static func bootstrap(level: Logger.Level, format: LogfmtLogHandler.Format) -> Telemetry {
        // Under systemd, stderr is the journal when $JOURNAL_STREAM names it: prefix lines with their priority.
        let journald = ProcessInfo.processInfo.environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false
        LoggingSystem.bootstrap { label in
            var handler = LogfmtLogHandler(label: label)
            handler.logLevel = level
            handler.format = format
            handler.journald = journald
            return handler
        }
        return Telemetry(logger: Logger(label: "driftd"))
    }
}

/// `--log-level`: swift-log's levels, by the names swift-log gives them (a type of our own, so that swift-log's
/// type does not conform to argument-parser's protocol behind both libraries' backs).
enum LogLevel: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue)! }
}

extension LogfmtLogHandler.Format: ExpressibleByArgument {}

/// Prints a user-facing error (what is wrong, what to do) and exits non-zero.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandleStderr.write("driftd: \(message)\n")
    return ExitCode(code)
}

/// Loads a config for a command that needs a valid one; on problems prints each (file, line, fix) and points to
/// `driftd check`.
func loadConfig(_ path: String) throws -> DriftConfig {
    do {
        return try ConfigLoader.load(path: path)
    } catch {
        FileHandleStderr.write(error.description + "\n")
        throw fail("\(path) is not a valid config; `driftd check --config \(path)` lists the problems", code: 2)
    }
}
