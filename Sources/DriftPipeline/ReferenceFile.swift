import DriftCore
import DriftEvaluate
import DriftSystem
import Foundation

/// Reading and writing reference profiles on disk.
public enum ReferenceFile {
    public static func load(_ path: String) throws(DriftError) -> ReferenceProfile {
        guard FileSystem.kind(of: path) == .regular, let data = FileManager.default.contents(atPath: path) else {
            let why =
                FileSystem.kind(of: path).map { $0 == .regular ? FileSystem.errnoText() : "it is \($0.article)" }
                ?? FileSystem.errnoText()
            throw DriftError(
                .config,
                "cannot read the reference profile \(path): \(why); "
                    + "check `reference` in the config, or build one with `driftd baseline`")
        }
        do {
            return try ReferenceProfile.decode(data, source: path)
        } catch {
            throw DriftError(.config, "\(error)", cause: error as? ProfileError)
        }
    }

    /// Writes the profile atomically: a temporary file, fsync, rename.
    public static func save(_ profile: ReferenceProfile, to path: String) throws(DriftError) {
        let data: Data
        do {
            data = try profile.encoded()
        } catch {
            throw DriftError(.io, "cannot encode the reference profile: \(error)", cause: error as? EncodingError)
        }
        try AtomicFile.write(Array(data), to: path)
    }
}
