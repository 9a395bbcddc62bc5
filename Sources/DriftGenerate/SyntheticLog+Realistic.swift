import DriftCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The realistic shape: records as a real fraud service's Python server logs them, which cost a parser more than
/// the compact shape does.
///
/// A UUID `request_id` and a `meta` object driftd does not read, times to the microsecond (a few out of order), doubles at full
/// precision (17 significant digits, as `json.dumps` writes them: `0.21863797480360336`), negative decimals,
/// about 3% nulls in several features, a numeric-looking categorical (`mcc`, merchant category codes such as
/// `"5014"`) and the long-tailed `merchant_id` (~50k values). About 560 bytes a line. The features and their
/// drift are those of the compact shape, plus `mcc`, so the drifted and stable features are the same.
extension SyntheticLog {
    mutating func nextRealisticLine() -> [UInt8] {
        let i = index
        index += 1
        let drifted = options.driftAfter.map { i >= $0 } ?? false
        var w = LineWriter()
        w.raw("{\"request_id\":")
        w.string(uuid())
        w.raw(",\"ts\":")
        let micros = Span(nanoseconds: Int64(rng.int(in: 0...999)) * 1000)
        w.string((time(of: i) + micros).rfc3339(fractionDigits: 6))
        w.raw(",\"model\":")
        let model = options.models[options.models.count == 1 ? 0 : rng.int(in: 0...(options.models.count - 1))]
        w.string(model)
        w.raw(",\"features\":{")
        if options.ownFeatureNames { w.keyPrefix = Array(model.utf8) + [UInt8(ascii: "_")] }
        let amount = exp((drifted ? 3.5 : 3.0) + rng.normal())
        w.double("amount", amount, first: true)
        w.integer("age", rng.int(in: 18...90))
        if rng.unit() < 0.03 {
            w.null("tenure_days")
        } else {
            w.integer("tenure_days", Int(-log(1 - rng.unit()) * 400))
        }
        w.number("balance", 400 + 900 * rng.normal(), digits: 2)  // negative for a third of the records
        w.integer("txn_count_24h", smallCount())
        if rng.unit() < 0.03 { w.null("distance_km") } else { w.double("distance_km", -log(1 - rng.unit()) * 20) }
        w.integer("hour", rng.int(in: 0...23))
        let scoreA = rng.unit()
        w.double("score_a", scoreA)
        let scoreB = rng.normal() + (drifted ? 0.5 : 0)
        w.double("score_b", scoreB)
        w.double("ratio", rng.unit() * rng.unit())
        w.number("latency_ms", exp(4 + 0.5 * rng.normal()), digits: 1)
        w.integer("const_flag", 1)
        let country = country(drifted: drifted)
        if rng.unit() < 0.03 { w.null("country") } else { w.category("country", country) }
        deviceAndChannel(&w, drifted: drifted)
        w.category("merchant_id", "mer_\(merchant())")
        w.category("mcc", String(5000 + Int(300 * rng.unit() * rng.unit())))
        outcome(&w, amount: amount, scoreA: scoreA, scoreB: scoreB) { $0.double("score", $1, first: true) }
        w.raw(",\"meta\":{\"host\":\"ip-10-0-")
        w.text("\(rng.int(in: 0...63))-\(rng.int(in: 1...254))")
        w.raw("\",\"queue_ms\":")
        w.text(String(rng.int(in: 0...40)))
        w.raw("}}")
        return w.bytes
    }

    /// A version 4 UUID from the generator, lower-case hex.
    private mutating func uuid() -> String {
        let hex = Array("0123456789abcdef".utf8)
        var bits = [rng.next(), rng.next()]
        bits[0] = (bits[0] & ~0xF000) | 0x4000  // version 4
        bits[1] = (bits[1] & ~(0b11 << 62)) | (0b10 << 62)  // the variant
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for n in 0..<32 {
            if n == 8 || n == 12 || n == 16 || n == 20 { out.append(UInt8(ascii: "-")) }
            let word = bits[n / 16]
            out.append(hex[Int((word >> UInt64(60 - 4 * (n % 16))) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
