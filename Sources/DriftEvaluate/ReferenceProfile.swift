import DriftStats
import Foundation

/// A reference profile (DESIGN §5): per model and feature, what the training or known-good data looked like.
/// Built once by `driftd baseline`, stored as versioned JSON, loaded at start; the reference data itself is never
/// read again.
public struct ReferenceProfile: Hashable, Sendable, Codable {
    public static let formatName = "driftd-reference"
    /// The format this build writes and reads. Older versions are refused with a message saying how to rebuild.
    public static let currentVersion = 1

    public struct Model: Hashable, Sendable, Codable {
        public var records: Int
        public var features: [String: FeatureReference]
        /// Score → P(y = 1), fitted on the labeled reference records of a binary classifier: what estimates its
        /// performance in windows without labels (DESIGN §12). Absent in profiles of models without both.
        public var calibration: IsotonicCalibration?
        /// The estimated measures' lower thresholds (`accuracy`, `f1`, `roc_auc`, …): mean − 3σ of their estimates
        /// over the reference's own chunks, as NannyML sets CBPE's; `threshold_estimated_<measure>` in rules.
        public var estimatedThresholds: [String: Double]?

        public init(records: Int, features: [String: FeatureReference], calibration: IsotonicCalibration? = nil) {
            self.records = records
            self.features = features
            self.calibration = calibration
        }
    }

    public var format = ReferenceProfile.formatName
    public var version = ReferenceProfile.currentVersion
    /// The window size whose chunks gave the adaptive thresholds.
    public var chunk: String
    public var models: [String: Model]

    public init(chunk: String, models: [String: Model]) {
        self.chunk = chunk
        self.models = models
    }

    /// Deterministic JSON (sorted keys): the same reference gives the same file.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a profile, checking its format and version first so that a wrong or newer file gets a clear answer.
    public static func decode(_ data: Data, source: String) throws -> ReferenceProfile {
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data), header.format == formatName else {
            throw ProfileError("\(source) is not a driftd reference profile; build one with `driftd baseline`")
        }
        let version = header.version ?? 0
        guard version == currentVersion else {
            let which = version > currentVersion ? "a newer driftd" : "an older driftd"
            throw ProfileError(
                "\(source) was written by \(which) (profile format \(version)); this driftd reads format "
                    + "\(currentVersion): rebuild it with `driftd baseline`"
                    + (version > currentVersion ? " or upgrade driftd" : ""))
        }
        let profile: ReferenceProfile
        do {
            profile = try JSONDecoder().decode(ReferenceProfile.self, from: data)
        } catch {
            throw ProfileError("\(source) is a damaged reference profile (\(error)); rebuild it with `driftd baseline`")
        }
        if let problem = profile.problem() {
            throw ProfileError(
                "\(source) is a damaged reference profile (\(problem)); rebuild it with `driftd baseline`")
        }
        return profile
    }
}

/// Why a profile could not be read.
public struct ProfileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
