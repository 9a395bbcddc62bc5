import DriftCore

/// Deterministic synthetic prediction logs in driftd's default record shape (DESIGN §2).
///
/// Twelve numeric and four categorical features of varied shapes: lognormal `amount`, integer `age` (ties on
/// every bin edge), `tenure_days` with 5% nulls, normal `balance`, small-count `txn_count_24h`, exponential
/// `distance_km`, integer `hour`, uniform `score_a`, normal `score_b`, skewed `ratio`, lognormal `latency_ms`,
/// constant `const_flag`; `country` (20 values, Zipf), `device` (one dominant value), `channel` (2% nulls) and the
/// high-cardinality `merchant_id` (~50k values by default). A prediction `{score, label}` and, for 30% of records, an
/// `actual` label.
///
/// With `driftAfter` set, records from that index on drift in exactly four features — `amount` (lognormal
/// location +0.5), `score_b` (mean +0.5), `country` (a new dominant value) and `channel` (nulls 2% → 25%) — and
/// the other twelve stay as they were. Tests and the demo rely on that split.
public struct SyntheticLog: Sendable {
    public struct Options: Sendable {
        public var seed: UInt64 = 42
        public var models: [String] = ["fraud-v3"]
        public var start = EventTime(seconds: 1_795_651_200)  // 2026-11-26T00:00:00Z
        /// Records per second of event time (all models together).
        public var rate: Double = 100
        public var driftAfter: Int?
        /// Distinct merchant ids to draw `merchant_id` from (half Zipf, half uniform).
        public var merchants = 50_000
        /// The records' shape: driftd's own compact one, or the messier one of a real service.
        public var shape = Shape.compact
        /// Each model's features named after it (`m7_amount`), as a fleet's models name theirs differently; else
        /// every model has the same feature names.
        public var ownFeatureNames = false

        public init() {}
    }

    /// How the records are written.
    public enum Shape: String, Sendable, CaseIterable {
        /// Values rounded to a few decimals, nothing but what driftd reads: about 390 bytes a line.
        case compact
        /// As a real fraud service logs (`SyntheticLog+Realistic.swift`): about 560 bytes a line.
        case realistic
    }

    public static let driftedFeatures = ["amount", "score_b", "country", "channel"]
    public static let stableFeatures = [
        "age", "tenure_days", "balance", "txn_count_24h", "distance_km", "hour", "score_a", "ratio", "latency_ms",
        "const_flag", "device", "merchant_id",
    ]

    public let options: Options
    var rng: SplitMix64
    public internal(set) var index = 0
    private let merchantCDF: [Double]
    private static let countries = [
        "US", "GB", "FR", "DE", "ES", "IT", "NL", "BR", "IN", "JP", "CA", "AU", "MX", "SE", "PL", "BE", "CH", "AT",
        "IE", "PT",
    ]
    static let channels = ["web", "app", "pos", "phone", "partner"]

    public init(options: Options) {
        self.options = options
        rng = SplitMix64(seed: options.seed)
        merchantCDF = Self.zipfCDF(count: options.merchants, exponent: 1.1)
    }

    /// The event time of record `i`: evenly spaced at `rate`, with up to two intervals of jitter (mildly out of
    /// order, as real servers log), to the millisecond.
    mutating func time(of i: Int) -> EventTime {
        let interval = 1e6 / options.rate
        let jitter = rng.unit() * 2 * interval
        return options.start + .milliseconds(Int64((Double(i) * interval + jitter) / 1000))
    }

    /// The next record's JSON line, without its newline.
    public mutating func nextLine() -> [UInt8] {
        if options.shape == .realistic { return nextRealisticLine() }
        let i = index
        index += 1
        let drifted = options.driftAfter.map { i >= $0 } ?? false
        var w = LineWriter()
        w.raw("{\"ts\":")
        w.string(time(of: i).rfc3339(fractionDigits: 3))
        w.raw(",\"model\":")
        let model = options.models[options.models.count == 1 ? 0 : rng.int(in: 0...(options.models.count - 1))]
        w.string(model)
        w.raw(",\"features\":{")
        if options.ownFeatureNames { w.keyPrefix = Array(model.utf8) + [UInt8(ascii: "_")] }
        let amount = exp((drifted ? 3.5 : 3.0) + rng.normal())
        w.number("amount", amount, digits: 2, first: true)
        w.integer("age", rng.int(in: 18...90))
        if rng.unit() < 0.05 {
            w.null("tenure_days")
        } else {
            w.integer("tenure_days", Int(-log(1 - rng.unit()) * 400))
        }
        w.number("balance", 1000 + 300 * rng.normal(), digits: 2)
        w.integer("txn_count_24h", smallCount())
        w.number("distance_km", -log(1 - rng.unit()) * 20, digits: 3)
        w.integer("hour", rng.int(in: 0...23))
        let scoreA = rng.unit()
        w.number("score_a", scoreA, digits: 4)
        let scoreB = rng.normal() + (drifted ? 0.5 : 0)
        w.number("score_b", scoreB, digits: 4)
        w.number("ratio", rng.unit() * rng.unit(), digits: 4)
        w.number("latency_ms", exp(4 + 0.5 * rng.normal()), digits: 1)
        w.integer("const_flag", 1)
        w.category("country", country(drifted: drifted))
        deviceAndChannel(&w, drifted: drifted)
        w.category("merchant_id", "m\(merchant())")
        outcome(&w, amount: amount, scoreA: scoreA, scoreB: scoreB) { $0.number("score", $1, digits: 4, first: true) }
        w.raw("}")
        return w.bytes
    }

    /// `device` (one dominant value) and `channel` (nulls 2%, 25% once drifted): the same in both shapes.
    mutating func deviceAndChannel(_ w: inout LineWriter, drifted: Bool) {
        let d = rng.unit()
        w.category("device", d < 0.85 ? "mobile" : d < 0.97 ? "desktop" : "tablet")
        if rng.unit() < (drifted ? 0.25 : 0.02) {
            w.null("channel")
        } else {
            w.category("channel", Self.channels[rng.int(in: 0...4)])
        }
    }

    /// Ends the features and writes the prediction (a score from the features, written by `score`, and its label)
    /// and, for 30% of records, the actual label (90% agreeing with the prediction).
    mutating func outcome(
        _ w: inout LineWriter, amount: Double, scoreA: Double, scoreB: Double,
        score writeScore: (inout LineWriter, Double) -> Void
    ) {
        w.keyPrefix = []
        w.raw("},\"prediction\":{")
        let z = 0.8 * (log(amount) - 3) + 1.2 * (scoreA - 0.5) + 0.6 * scoreB + 0.5 * rng.normal() - 1.5
        let score = 1 / (1 + exp(-z))
        let label = score > 0.5 ? "fraud" : "legit"
        writeScore(&w, score)
        w.category("label", label)
        w.raw("}")
        if rng.unit() < 0.3 {
            w.raw(",\"actual\":")
            w.string(rng.unit() < 0.9 ? label : (label == "fraud" ? "legit" : "fraud"))
        }
    }

    mutating func smallCount() -> Int {
        // Poisson(3) by inversion.
        let u = rng.unit()
        var k = 0
        var p = exp(-3.0)
        var cumulative = p
        while u > cumulative && k < 30 {
            k += 1
            p *= 3 / Double(k)
            cumulative += p
        }
        return k
    }

    mutating func country(drifted: Bool) -> String {
        if drifted && rng.unit() < 0.3 { return "BR" }
        let u = rng.unit()
        var rank = 0
        var acc = 0.0
        let norm = (1...20).reduce(0.0) { $0 + 1 / Double($1) }
        while rank < 19 {
            acc += 1 / Double(rank + 1) / norm
            if u < acc { break }
            rank += 1
        }
        return Self.countries[rank]
    }

    /// Half from a Zipf(1.1) over the merchants, half uniform over them: a long tail with a head.
    mutating func merchant() -> Int {
        if rng.unit() < 0.5 { return rng.int(in: 1...options.merchants) }
        let u = rng.unit()
        var lo = 0
        var hi = merchantCDF.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if merchantCDF[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return lo + 1
    }

    private static func zipfCDF(count: Int, exponent: Double) -> [Double] {
        var cdf = [Double](repeating: 0, count: count)
        var acc = 0.0
        for k in 0..<count {
            acc += 1 / pow(Double(k + 1), exponent)
            cdf[k] = acc
        }
        return cdf.map { $0 / acc }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
