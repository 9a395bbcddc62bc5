import DriftCore
import DriftEvaluate
import Foundation

/// Reading and writing reference profiles on disk.
public enum ReferenceFile {
    public static func load(_ path: String) throws(DriftError) -> ReferenceProfile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DriftError(.input, "cannot read the reference profile \(path): \(error.localizedDescription); "
                + "check `reference` in the config, or build one with `driftd baseline`")
        }
        do {
            return try ReferenceProfile.decode(data, source: path)
        } catch {
            throw DriftError(.input, "\(error)")
        }
    }

    /// Writes the profile atomically: a temporary file, fsync, rename.
    public static func save(_ profile: ReferenceProfile, to path: String) throws(DriftError) {
        let data: Data
        do {
            data = try profile.encoded()
        } catch {
            throw DriftError(.io, "cannot encode the reference profile: \(error)")
        }
        try AtomicFile.write(Array(data), to: path)
    }
}
