import DriftCore
import DriftRecords
import DriftSources

/// Finding and reading the inputs, shared by `replay` and `baseline`.
public enum Inputs {
    /// `patterns` expanded: globs matched, in the order the files were written (oldest modification time first,
    /// then name), standard input (`-`) last. A pattern named on the command line must match something.
    public static func resolve(_ patterns: [String], fromCommandLine: Bool, telemetry: Telemetry) throws(DriftError)
        -> [String]
    {
        var paths: [String] = []
        var stdin = false
        for pattern in patterns {
            if pattern == "-" {
                stdin = true
                continue
            }
            let matches = FileSystem.glob(pattern)
            if matches.isEmpty && fromCommandLine { throw DriftError(.input, "\(pattern): no such file") }
            if matches.isEmpty {
                telemetry.logger.warning("input pattern matches no file", metadata: ["pattern": "\(pattern)"])
            }
            paths.append(contentsOf: matches)
        }
        var seen: Set<String> = []
        paths = paths.filter { seen.insert($0).inserted }
        return FileSystem.sortedByWriteOrder(paths) + (stdin ? ["-"] : [])
    }

    /// Reads every input to its end, in order, handing line batches to `deliver`.
    public static func read(_ paths: [String], maxLineBytes: Int, telemetry: Telemetry,
                            deliver: (LineBatch) -> Void) throws(DriftError) {
        for path in paths {
            let reader = try SourceReader(path: path, maxLineBytes: maxLineBytes, telemetry: telemetry)
            try reader.pump(deliver)
            reader.finish(deliver)
        }
    }
}
