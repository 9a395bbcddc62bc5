import DriftConfig
import DriftCore
import DriftSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `run` loads beyond the config file itself, checked before it is needed (DESIGN §9: a config that passes
/// `check` starts): the reference profile and the hook programs.
public enum Preflight {
    /// Every problem found, each saying what to do; empty when `run` will start.
    public static func problems(_ config: DriftConfig) -> [String] {
        var problems: [String] = []
        if let reference = config.reference {
            do {
                _ = try ReferenceFile.load(reference)
            } catch {
                problems.append("\(config.file): reference: \(error.message)")
            }
        }
        for hook in config.hooks {
            guard case .exec(let argv) = hook.kind, let program = argv.first else { continue }
            if let problem = Self.problem(running: program) {
                problems.append("\(config.file): hook \(hook.name): \(problem)")
            }
        }
        return problems
    }

    /// Why `program` cannot be started, or nil: a path must lead to an executable file; a bare name must be
    /// found on `PATH`, as `posix_spawnp` looks for it.
    static func problem(running program: String) -> String? {
        if program.contains("/") {
            guard let kind = FileSystem.kind(of: program) else { return "\(program) does not exist" }
            guard kind == .regular else { return "\(program) is \(kind.article), not a program" }
            guard access(program, X_OK) == 0 else { return "\(program) is not executable (chmod +x it)" }
            return nil
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileSystem.kind(of: candidate) == .regular && access(candidate, X_OK) == 0 { return nil }
        }
        return "\(program) is not found on PATH; give its full path"
    }
}
