import ArgumentParser
import DriftCore
import DriftPipeline

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge profile lines of many instances and windows into metric lines of larger windows.",
        discussion: """
            Reads profiles.jsonl lines (output.profiles: true) of any number of instances, merges those whose windows \
            tile --window into one window each, and writes ordinary metric lines with drift against the config's \
            reference and its rules (hooks are not run). Lines that do not tile, duplicates and windows an instance \
            covered only in part are reported, never summed twice. Quote the globs: driftd expands them.
            """)

    @Option(name: .long, help: "The config file (reference and rules; output.dir unless --output-dir).")
    var config: String
    @Option(name: .long, parsing: .upToNextOption, help: "Profile files or globs (quoted).") var profiles: [String]
    @Option(name: .long, help: "The merged window's size: 1h, 1d, … (a multiple of the profiles' windows).")
    var window: String
    @Option(name: .long, help: "Write metric files here instead of the config's output.dir.") var outputDir: String?
    @OptionGroup var log: LogOptions

    func validate() throws {
        guard let span = Span(parsing: window), span.nanoseconds > 0 else {
            throw ValidationError("--window must be a duration such as 1h or 30m, not '\(window)'")
        }
        guard !profiles.isEmpty else { throw ValidationError("--profiles needs at least one file or glob") }
    }

    func run() throws {
        let telemetry = log.bootstrap()
        let cfg = try loadConfig(config)
        let size = Span(parsing: window)!
        let summary: Merge.Summary
        do {
            summary = try Merge(config: cfg, telemetry: telemetry).run(
                profiles: profiles, size: size, label: size.description, outputDirectory: outputDir)
        } catch {
            throw fail(error.message, code: error.code == .input || error.code == .config ? 2 : 1)
        }
        for problem in summary.refused.prefix(20) { FileHandleStderr.write("merge: refused: \(problem)\n") }
        if summary.refused.count > 20 { FileHandleStderr.write("merge: … and \(summary.refused.count - 20) more\n") }
        for gap in summary.gaps.prefix(20) { FileHandleStderr.write("merge: partial: \(gap)\n") }
        if summary.gaps.count > 20 { FileHandleStderr.write("merge: … and \(summary.gaps.count - 20) more\n") }
        FileHandleStderr.write(
            "merge: \(summary.files) file(s), \(summary.lines) lines, \(summary.refused.count) refused, "
                + "\(summary.windows) \(size) windows, \(summary.alertsFired) alert(s) fired → \(summary.metricFile)\n")
    }
}
