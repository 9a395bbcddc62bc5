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

    func run() throws {
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
            metrics: metrics, output: output, title: title, reference: profile, rules: rules)
        FileHandleStderr.write("report: \(files) metric file(s), \(lines) lines → \(output)\n")
    }

    /// Reads every metric file of `metrics`, oldest first, and writes the page; returns files and lines read.
    static func write(
        metrics: String, output: String, title: String, reference: ReferenceProfile? = nil, rules: [AlertRule]? = nil
    ) throws -> (files: Int, lines: Int) {
        let names = FileSystem.entries(of: metrics)
        let rolled = names.filter { $0.hasPrefix("metrics-") && $0.hasSuffix(".jsonl") }.sorted()
        let files = (rolled + (names.contains("metrics.jsonl") ? ["metrics.jsonl"] : [])).map { metrics + "/" + $0 }
        guard !files.isEmpty else {
            throw fail(
                "\(metrics) holds no metric files (metrics.jsonl or metrics-*.jsonl); pass the config's output.dir")
        }
        var data = ReportData()
        for path in files {
            guard let bytes = FileManager.default.contents(atPath: path) else { throw fail("cannot read \(path)") }
            bytes.withUnsafeBytes { all in
                var start = 0
                while start < all.count {
                    let found = memchr(all.baseAddress! + start, 0x0A, all.count - start)
                    let end = found.map { all.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? all.count
                    if end > start { data.add(line: UnsafeRawBufferPointer(rebasing: all[start..<end])) }
                    start = end + 1
                }
            }
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
