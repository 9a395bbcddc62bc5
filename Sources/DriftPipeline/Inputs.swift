import DriftCore
import DriftRecords
import DriftSources
import DriftSystem
import DriftZstd

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
            var matches = FileSystem.glob(pattern)
            if matches.isEmpty && fromCommandLine { throw DriftError(.input, "\(pattern): no such file") }
            if matches.isEmpty {
                telemetry.logger.warning("input pattern matches no file", metadata: ["pattern": "\(pattern)"])
            }
            // A glob's matches are read only if they are regular files (DESIGN §8); a path named on the command
            // line is read whatever it is, so that `replay <(zstd -dc f)` works and a directory gets an error.
            let isGlob = pattern.contains { "*?[".contains($0) }
            if isGlob || !fromCommandLine {
                matches = matches.filter { path in
                    let kind = FileSystem.kind(of: path)
                    guard kind == .regular else {
                        InputSkipped(
                            path: path, reason: kind.map { "is \($0.article), not a regular file" } ?? "cannot be read"
                        )
                        .emit(to: telemetry)
                        return false
                    }
                    return true
                }
            }
            paths.append(contentsOf: matches)
        }
        var seen: Set<String> = []
        paths = paths.filter { seen.insert($0).inserted }
        return FileSystem.sortedByWriteOrder(paths) + (stdin ? ["-"] : [])
    }

    /// Reads every input to its end, in order, handing line batches to `deliver`.
    public static func read(
        _ paths: [String], maxLineBytes: Int, maxZstdWindow: Int = ZstdDecoder.defaultMaxWindow,
        telemetry: Telemetry, deliver: (LineBatch) -> Void
    ) throws(DriftError) {
        for path in paths {
            let reader = try SourceReader(
                path: path, maxLineBytes: maxLineBytes, maxZstdWindow: maxZstdWindow,
                telemetry: telemetry)
            try reader.pump(deliver)
            reader.finish(deliver)
        }
    }
}
