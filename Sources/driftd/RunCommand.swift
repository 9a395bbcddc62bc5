import ArgumentParser
import DriftCore
import DriftPipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground: follow the inputs, close windows, write metrics, checkpoint.",
        discussion: """
            Stops on SIGTERM or SIGINT after a checkpoint (exit 0). After a crash, even kill -9, the next start \
            continues from the last checkpoint: no window is lost or written twice.
            """)

    @Option(name: .long, help: "The config file.") var config: String
    @OptionGroup var log: LogOptions

    func run() throws {
        // First, before any thread starts: a SIGTERM from now on waits until driftd can stop cleanly.
        Daemon.blockHandledSignals()
        let telemetry = log.bootstrap()
        let cfg = try loadConfig(config)
        let code: Int32
        do {
            code = try Daemon(config: cfg, telemetry: telemetry).run()
        } catch {
            throw fail(error.message, code: error.code == .config ? 2 : 1)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
