import ArgumentParser
import DriftAlerts
import DriftConfig
import DriftCore
import DriftEvaluate
import DriftPipeline
import DriftReport
import DriftSystem
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one static HTML page with charts of drift over time, thresholds and alert periods.",
        discussion: "Reads the rolled files (metrics-*.jsonl) and the live metrics.jsonl of a metric directory. "
            + "The page has no script and loads nothing from the network.")

    @Option(name: .long, help: "The metric directory (the config's output.dir).") var metrics: String
    @Option(name: .long, help: "The HTML file to write.") var output: String = "report.html"
    @Option(name: .long, help: "The page title.") var title: String = "driftd report"
    @Option(
        name: .long,
        help: "The config whose rules draw the thresholds (and whose reference is drawn, unless --reference says).")
    var config: String?
    @Option(name: .long, help: "The reference profile whose distributions are drawn beside the windows'.")
    var reference: String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Draw each feature's distribution for the window that ends at this time or next after it (RFC 3339), "
                + "instead of its worst window's.", valueName: "time"))
    var at: String?

    func run() throws {
        var chosen: Double?
        if let at {
            guard let time = EventTime(rfc3339: at) else {
                throw fail("--at \(at) is not an RFC 3339 time; write for example --at 2026-11-26T14:05:00Z")
            }
            chosen = Double(time.nanoseconds) / 1e9
        }
        var rules: [AlertRule]?
        var referencePath = reference
        if let config {
            do {
                let loaded = try ConfigLoader.load(path: config)
                rules = loaded.rules
                referencePath = referencePath ?? loaded.reference
            } catch {
                throw fail("\(error)")
            }
        }
        var profile: ReferenceProfile?
        if let referencePath {
            do {
                profile = try ReferenceFile.load(referencePath)
            } catch {
                throw fail(error.message)
            }
        }
        let (files, lines) = try Self.write(
            metrics: metrics, output: output, title: title, reference: profile, rules: rules, chosen: chosen)
        FileHandleStderr.write("report: \(files) metric file(s), \(lines) lines → \(output)\n")
    }

    /// Reads every metric file of `metrics`, oldest first, and writes the page; returns files and lines read.
    static func write(
        metrics: String, output: String, title: String, reference: ReferenceProfile? = nil, rules: [AlertRule]? = nil,
        chosen: Double? = nil
    ) throws -> (files: Int, lines: Int) {
        let names = FileSystem.entries(of: metrics)
        let rolled = names.filter { $0.hasPrefix("metrics-") && $0.hasSuffix(".jsonl") }.sorted()
        let files = (rolled + (names.contains("metrics.jsonl") ? ["metrics.jsonl"] : [])).map { metrics + "/" + $0 }
        guard !files.isEmpty else {
            throw fail(
                "\(metrics) holds no metric files (metrics.jsonl or metrics-*.jsonl); pass the config's output.dir")
        }
        let data: ReportData
        do {
            data = try MetricFileReader.read(
                files, workers: ProcessInfo.processInfo.activeProcessorCount, chosen: chosen)
        } catch {
            throw fail(error.description)
        }
        let html = ReportPage(data: data, title: title, reference: reference, rules: rules).render()
        do {
            try AtomicFile.write(Array(html.utf8), to: output)
        } catch {
            throw fail(error.message)
        }
        return (files.count, data.lines)
    }
}
