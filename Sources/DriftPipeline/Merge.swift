import DriftConfig
import DriftCore
import DriftEvaluate
import DriftSinks
import DriftStats
import DriftSystem
import Foundation

/// `driftd merge` (DESIGN §9): profile lines of any number of instances and windows, merged into the metric lines
/// of larger windows — with drift against the config's reference and its rules, as `replay` writes them. Hooks are
/// not run: a merge, like a backfill, pages no one.
public struct Merge {
    public struct Summary: Sendable {
        public var files = 0
        public var lines = 0
        /// Lines not merged, each with why (not a profile, does not tile, a duplicate, another reference).
        public var refused: [String] = []
        /// Merged windows an instance covered only in part.
        public var gaps: [String] = []
        public var windows = 0
        public var alertsFired = 0
        public var metricFile = ""
    }

    let config: DriftConfig
    let telemetry: Telemetry

    public init(config: DriftConfig, telemetry: Telemetry) {
        self.config = config
        self.telemetry = telemetry
    }

    /// Merges the lines of the files `patterns` match (driftd expands them) into windows of `size`, named `label`.
    public func run(profiles patterns: [String], size: Span, label: String, outputDirectory: String? = nil)
        throws(DriftError) -> Summary
    {
        var summary = Summary()
        var files: [String] = []
        for pattern in patterns {
            let matches = FileSystem.glob(pattern)
            guard !matches.isEmpty else {
                throw DriftError(.input, "no file matches \(pattern) (quote globs: driftd expands them)")
            }
            files += matches.filter { !files.contains($0) }
        }
        summary.files = files.count
        let reference = try config.reference.map { path throws(DriftError) in try ReferenceFile.load(path) }
        var merger = ProfileMerger(size: size, label: label)
        for file in files {
            guard let text = FileManager.default.contents(atPath: file) else {
                throw DriftError(.io, "cannot read \(file): \(FileSystem.errnoText())")
            }
            var lineNumber = 0
            for line in text.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                guard !line.isEmpty else { continue }
                summary.lines += 1
                do {
                    if let problem = merger.add(try ProfileReader.record(line)) { summary.refused.append(problem) }
                } catch {
                    summary.refused.append("\(file):\(lineNumber): \(error.reason)")
                }
            }
        }
        summary.gaps = merger.gaps
        var config = self.config
        config.output.profiles = false
        let output = try OutputStage(
            config: config, reference: reference, directory: outputDirectory, retrying: false, telemetry: telemetry)
        summary.metricFile = output.writer.path
        for report in merger.reports(reference: reference) {
            let alerts = output.evaluate(report, now: report.end, notify: false)
            summary.alertsFired += alerts.filter { $0.transition == .fired }.count
            try output.write(report, alerts: alerts)
            summary.windows += 1
        }
        output.writer.sync()
        return summary
    }
}
