import ArgumentParser

/// Commands whose issue is still open say so and exit 2, rather than pretend.
protocol NotBuiltYet: ParsableCommand {
    static var issue: String { get }
}

extension NotBuiltYet {
    func run() throws {
        throw fail(
            "`driftd \(Self.configuration.commandName ?? "")` is not built yet (\(Self.issue)); "
                + "`driftd replay --config FILE [FILES…]` runs the pipeline over finished files.",
            code: 2)
    }
}

struct DemoCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "A self-contained run with live logs, drift injected and alerts firing.")
    static let issue = "the demo, issue #8"
}

struct ReportCommand: NotBuiltYet {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a static HTML page with charts of drift over time.")
    static let issue = "the HTML report, issue #8"
    @Option(name: .long, help: "The metric directory.") var metrics: String
    @Option(name: .long, help: "The HTML file to write.") var output: String
}
