import DriftGenerate
import Foundation
import Testing

/// `driftd generate --shape realistic` has the properties its documentation promises, since the benchmarks' claims
/// about "logs as a real service writes them" rest on it.
@Suite struct RealisticShapeTests {
    static func lines(_ n: Int, seed: UInt64 = 3) -> [[UInt8]] {
        var options = SyntheticLog.Options()
        options.shape = .realistic
        options.seed = seed
        var log = SyntheticLog(options: options)
        return (0..<n).map { _ in log.nextLine() }
    }

    @Test func linesAreJSONWithTheShapesOfARealService() throws {
        let lines = Self.lines(5_000)
        let bytes = lines.reduce(0) { $0 + $1.count + 1 }
        #expect((520...620).contains(bytes / lines.count), "\(bytes / lines.count) bytes a line")
        var nulls = 0
        var values = 0
        var longDoubles = 0
        var negative = 0
        var mccs = Set<String>()
        var merchants = Set<String>()
        let uuid = try Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        for line in lines {
            let text = String(decoding: line, as: UTF8.self)
            let record = try #require(JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let id = try #require(record["request_id"] as? String)
            #expect(id.wholeMatch(of: uuid) != nil, "\(id)")
            #expect((record["ts"] as? String)?.count == 27)  // 2026-11-26T00:00:00.123456Z
            #expect(record["meta"] is [String: Any])
            let features = try #require(record["features"] as? [String: Any])
            for key in ["tenure_days", "distance_km", "country"] {
                values += 1
                if features[key] is NSNull { nulls += 1 }
            }
            if let mcc = features["mcc"] as? String {
                #expect(Int(mcc) != nil, "\(mcc) looks numeric")
                mccs.insert(mcc)
            }
            merchants.insert(try #require(features["merchant_id"] as? String))
            if let balance = features["balance"] as? Double, balance < 0 { negative += 1 }
            // Full-precision doubles: the score with 16 or 17 significant digits, as json.dumps writes them
            // (a score under 1e-4 is written with an exponent, as json.dumps does too).
            if let score = text.firstRange(of: "\"score_a\":0.") {
                let digits = text[score.upperBound...].prefix { $0.isNumber }
                if digits.count >= 16 { longDoubles += 1 }
            }
        }
        #expect(Double(nulls) / Double(values) > 0.02 && Double(nulls) / Double(values) < 0.04)
        #expect(longDoubles > lines.count / 2)
        #expect(negative > lines.count / 5)
        #expect(mccs.count > 100)
        #expect(merchants.count > 2_000)  // the long tail: 5,000 records from ~50k merchants
    }

    @Test func theSameSeedGivesTheSameLinesAndAnotherSeedOthers() {
        #expect(Self.lines(200) == Self.lines(200))
        #expect(Self.lines(200) != Self.lines(200, seed: 4))
    }

    /// `--own-feature-names`: each model's features carry its name, and nothing else changes (the same seed gives
    /// the same line once the prefixes are taken out), in both shapes.
    @Test(arguments: SyntheticLog.Shape.allCases)
    func ownFeatureNamesOnlyPrefixTheFeatures(_ shape: SyntheticLog.Shape) throws {
        var options = SyntheticLog.Options()
        options.shape = shape
        options.models = ["m0", "m1", "m2"]
        var plain = SyntheticLog(options: options)
        options.ownFeatureNames = true
        var own = SyntheticLog(options: options)
        for _ in 0..<300 {
            let line = String(decoding: own.nextLine(), as: UTF8.self)
            let record = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let model = try #require(record["model"] as? String)
            let features = try #require(record["features"] as? [String: Any])
            #expect(features.keys.allSatisfy { $0.hasPrefix(model + "_") })
            #expect(
                line.replacingOccurrences(of: "\"\(model)_", with: "\"")
                    == String(decoding: plain.nextLine(), as: UTF8.self))
        }
    }
}
