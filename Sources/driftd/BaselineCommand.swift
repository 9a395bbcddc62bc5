import ArgumentParser
import DriftCore
import DriftPipeline

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Build a reference profile from known-good logs (training data or a healthy period).",
        discussion: """
            Reads the files three times: to profile each model's features, to count them on the profile's bins, and \
            to derive adaptive thresholds from window-sized chunks (the config's first window). Point the config's \
            `reference` at the output to get drift measures in every window.
            """)

    @Option(name: .long, help: "The config file (schema and windows are taken from it).") var config: String
    @Option(name: .long, help: "Where to write the profile (JSON).") var output: String
    @OptionGroup var log: LogOptions
    @Argument(help: "Reference log files (.zst or plain JSON lines).") var files: [String]

    func run() throws {
        let telemetry = log.bootstrap()
        let cfg = try loadConfig(config)
        let started = Telemetry.monotonicNanoseconds()
        let progress = TerminalProgress(label: "baseline (3 passes)")
        defer { progress?.finish() }
        do {
            let (profile, summary) = try Baseline(config: cfg, telemetry: telemetry).run(
                files: files, progress: progress?.update)
            progress?.finish()
            try ReferenceFile.save(profile, to: output)
            let seconds = Double(Telemetry.monotonicNanoseconds() - started) / 1e9
            FileHandleStderr.write(
                "baseline: \(summary.records) records (\(summary.rejected) rejected), \(summary.models) model(s), "
                    + "\(summary.features) features, thresholds from \(summary.chunks) \(profile.chunk) chunks "
                    + "in \(formatSeconds(seconds)) → \(output)\n")
            if !summary.withoutValidValues.isEmpty {
                let shown = summary.withoutValidValues.prefix(10).joined(separator: ", ")
                let more = summary.withoutValidValues.count > 10 ? ", …" : ""
                FileHandleStderr.write(
                    "baseline: warning: \(summary.withoutValidValues.count) feature(s) have no valid value in the "
                        + "reference (\(shown)\(more)): every value is missing or of the wrong type, so drift cannot be "
                        + "measured on them; set schema.types if they are ids written as numbers, or check the logs\n")
            }
        } catch {
            throw fail(error.message, code: error.code == .config ? 2 : 1)
        }
    }
}
