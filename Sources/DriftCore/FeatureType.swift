/// Whether a feature is summarized as numbers or as categories (DESIGN §4).
public enum FeatureType: String, Hashable, Sendable, Codable, CaseIterable {
    case numeric
    case categorical
}
