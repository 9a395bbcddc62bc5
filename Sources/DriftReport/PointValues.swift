/// A window's measures by name, as the report keeps them for every (feature, window): a short array of (code,
/// value), not a dictionary. 16,000 features × 288 windows are 4.6 million of them; a dictionary each hashed a
/// dozen names per line and cost most of the report's time.
public struct PointValues: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// Every name a point can hold; a code is its index.
    static let names = [
        "count", "missing", "invalid", "mean", "p50", "unseen", "unseen_rate", "missing_rate", "invalid_rate", "psi",
        "js", "ks", "wasserstein_norm", "chi2_p", "out_of_range", "missing_rate_change", "invalid_rate_change",
        "records", "late", "rejected", "accuracy", "mae", "labeled", "unmatched", "realized_accuracy",
        "realized_roc_auc", "realized_f1", "realized_mae", "realized_rmse", "estimated_accuracy",
        "estimated_precision", "estimated_recall", "estimated_f1", "estimated_roc_auc",
    ]
    static let codes = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, UInt8($0)) })

    struct Entry: Sendable, Equatable {
        var code: UInt8
        var value: Double
    }

    private(set) var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, Double)...) {
        for (k, v) in elements { self[k] = v }
    }

    public init(_ values: [String: Double]) {
        for (k, v) in values { self[k] = v }
    }

    /// The value of a measure; names outside ``names`` are not kept.
    public subscript(name: String) -> Double? {
        get { Self.codes[name].flatMap { self[code: $0] } }
        set {
            guard let code = Self.codes[name] else { return }
            self[code: code] = newValue
        }
    }

    subscript(code code: UInt8) -> Double? {
        get { entries.first { $0.code == code }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.code == code }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(Entry(code: code, value: newValue))
            }
        }
    }

    /// `other`'s values over these.
    public mutating func merge(_ other: PointValues) {
        for e in other.entries { self[code: e.code] = e.value }
    }

    public static func == (a: PointValues, b: PointValues) -> Bool {
        a.entries.sorted { $0.code < $1.code } == b.entries.sorted { $0.code < $1.code }
    }
}
