import ArgumentParser
import DriftConfig
import DriftPipeline

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a config and what `run` loads with it (reference, rules, hook programs): every problem "
            + "with its file, line and what to write instead.")

    @Option(name: .long, help: "The config file.") var config: String

    func run() throws {
        let c: DriftConfig
        do {
            c = try ConfigLoader.load(path: config)
        } catch {
            FileHandleStderr.write(error.description + "\n")
            throw problemsFound(error.diagnostics.count)
        }
        let problems = Preflight.problems(c)
        for problem in problems { FileHandleStderr.write(problem + "\n") }
        guard problems.isEmpty else { throw problemsFound(problems.count) }
        let windows = c.windows.map(\.label).joined(separator: ", ")
        print(
            "\(config): OK — \(c.inputs.count) input(s), windows \(windows), \(c.rules.count) rule(s), "
                + "\(c.hooks.count) hook(s); metrics to \(c.output.dir)")
    }

    private func problemsFound(_ n: Int) -> ExitCode {
        fail(
            "\(config): \(n) problem\(n == 1 ? "" : "s") found; fix \(n == 1 ? "it" : "them") and run check again",
            code: 2)
    }
}
