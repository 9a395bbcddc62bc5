import ArgumentParser
import DriftConfig

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a config: every problem with its file, line and what to write instead.")

    @Option(name: .long, help: "The config file.") var config: String

    func run() throws {
        do {
            let c = try ConfigLoader.load(path: config)
            let windows = c.windows.map(\.label).joined(separator: ", ")
            print(
                "\(config): OK — \(c.inputs.count) input(s), windows \(windows), \(c.rules.count) rule(s), "
                    + "\(c.hooks.count) hook(s); metrics to \(c.output.dir)")
        } catch {
            FileHandleStderr.write(error.description + "\n")
            let n = error.diagnostics.count
            throw fail("\(config): \(n) problem\(n == 1 ? "" : "s") found; fix \(n == 1 ? "it" : "them") and run check again")
        }
    }
}
