import DriftCore
import DriftSystem

/// Continuing from a checkpoint: the files it names found again by their identity, under any name.
extension Tailer {
    /// Continues from a checkpoint: each file it names is found again by identity (under any matching name) and
    /// resumed at its position; files that are gone are reported. Call before the first ``scan()``.
    public func restore(_ state: State) {
        firstScan = false
        finished = state.finished
        var candidates = currentIdentities()
        for file in state.files {
            // Under a matching name, or — a file rotated to a name outside the glob while driftd was down — under
            // any name in the inputs' directories. Opening goes by name, and the writer may rotate in between:
            // look again until the file opened is the file meant.
            var opened = false
            for _ in 0..<5 where !opened {
                let found =
                    candidates.first { $0.identity.isSameFile(as: file.identity) }
                    ?? findInDirectories(file.identity)
                guard let (path, identity) = found else { break }
                opened = follow(
                    path: path, identity: identity, resume: file.position, startAtEnd: false,
                    zstd: file.zstd, from: "checkpoint", labels: file.labels ?? false)
                if opened && !matchingPaths().contains(path) { sources.last?.detached = true }
                if !opened { candidates = currentIdentities() }
            }
            if opened { continue }
            let reused = candidates.contains {
                $0.identity.device == file.identity.device && $0.identity.inode == file.identity.inode
            }
            FileVanished(
                path: file.path, position: file.position.decompressedOffset,
                reason: reused ? "its inode now holds another file" : "not found in the inputs' directories"
            )
            .emit(to: telemetry)
        }
    }

    /// A file with this identity anywhere in the inputs' directories (not only under matching names).
    func findInDirectories(_ identity: FileIdentity) -> (path: String, identity: FileIdentity)? {
        let directories = Set(patterns.map { FileSystem.directory(of: $0.glob) })
        for directory in directories {
            for name in FileSystem.entries(of: directory) {
                let path = directory + "/" + name
                guard FileSystem.inode(of: path) == identity.inode, let found = FileIdentity.of(path: path),
                    found.isSameFile(as: identity)
                else { continue }
                return (path, found)
            }
        }
        return nil
    }
}
