import DriftCore
import DriftStats

/// Places a window's values on one feature's reference bins, at record time (pure, built once per feature from
/// its ``FeatureReference``; a class so that looking one up costs one reference count, not one per table).
public final class FeatureBinner: Sendable {
    public let type: FeatureType
    public let binCount: Int
    private let bins: NumericBins?
    private let range: ClosedRange<Double>?
    private let categoryIndex: [String: Int]
    private let known: Set<String>?
    private let knownFilter: BloomFilter?

    public init(_ reference: FeatureReference) {
        type = reference.type
        bins = reference.bins
        if let lo = reference.min, let hi = reference.max { range = lo...hi } else { range = nil }
        let categories = reference.categories ?? []
        categoryIndex = Dictionary(categories.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        known = reference.known.map(Set.init)
        knownFilter = reference.knownFilter
        binCount = type == .numeric ? (bins?.count ?? 0) : categories.count + 1
    }

    /// The bin of a finite number, and whether it lies outside the reference's range.
    public func place(number x: Double) -> (bin: Int, outOfRange: Bool)? {
        guard type == .numeric, let bins else { return nil }
        return (bins.index(of: x), range.map { !$0.contains(x) } ?? false)
    }

    /// The bin of a category (`other` is the last), and whether the reference never saw it.
    public func place(category value: String) -> (bin: Int, unseen: Bool)? {
        guard type == .categorical else { return nil }
        if let i = categoryIndex[value] { return (i, false) }
        let seen = known?.contains(value) ?? knownFilter?.contains(value) ?? false
        return (binCount - 1, !seen)
    }
}
