import DriftEvaluate
import DriftStats
import DriftTestSupport
import Foundation
import Testing

@Suite struct ReferenceProfileTests {
    static func sampleProfile() -> ReferenceProfile {
        var a = FeatureAccumulator(topCapacity: ProfileBuilder.profilingTopCapacity)
        var rng = SeededGenerator(seed: 2)
        for _ in 0..<5000 { a.addNumber(rng.normal()) }
        var counter = ReferenceCounter(ProfileBuilder.reference(for: a, records: 5000, type: .numeric))
        for _ in 0..<5000 { counter.add(number: rng.normal()) }
        var c = FeatureAccumulator(topCapacity: ProfileBuilder.profilingTopCapacity)
        for i in 0..<3000 { c.addCategory("v\(i % 7)") }
        var categories = ReferenceCounter(ProfileBuilder.reference(for: c, records: 3100, type: .categorical))
        for i in 0..<3000 { categories.add(category: "v\(i % 7)") }
        return ReferenceProfile(
            chunk: "5m",
            models: ["m": .init(records: 5000, features: ["x": counter.finished(), "c": categories.finished()])])
    }

    @Test func roundTripsAndEncodesDeterministically() throws {
        let p = Self.sampleProfile()
        let data = try p.encoded()
        #expect(try ReferenceProfile.decode(data, source: "p.json") == p)
        #expect(try Self.sampleProfile().encoded() == data)
        let c = p.models["m"]!.features["c"]!
        #expect(c.categories?.count == 7 && c.binCounts.last == 0 && c.missing == 100)
        #expect(c.known == (0..<7).map { "v\($0)" })
    }

    @Test func otherVersionsAndOtherFilesAreRefusedWithAClearMessage() throws {
        var newer = try JSONSerialization.jsonObject(with: Self.sampleProfile().encoded()) as! [String: Any]
        newer["version"] = ReferenceProfile.currentVersion + 1
        let newerData = try JSONSerialization.data(withJSONObject: newer)
        #expect(throws: ProfileError.self) { try ReferenceProfile.decode(newerData, source: "p.json") }
        do {
            _ = try ReferenceProfile.decode(newerData, source: "p.json")
        } catch {
            #expect("\(error)".contains("written by a newer driftd (profile format 2)"))
            #expect("\(error)".contains("upgrade driftd"))
        }
        var older = newer
        older["version"] = 0
        do {
            _ = try ReferenceProfile.decode(try JSONSerialization.data(withJSONObject: older), source: "p.json")
            Issue.record("an older format was accepted")
        } catch {
            #expect("\(error)".contains("older driftd"))
            #expect("\(error)".contains("rebuild it with `driftd baseline`"))
        }
        do {
            _ = try ReferenceProfile.decode(Data(#"{"models": {}}"#.utf8), source: "x.json")
            Issue.record("a non-profile was accepted")
        } catch {
            #expect("\(error)".contains("x.json is not a driftd reference profile"))
        }
    }

    @Test func theBloomFilterHasNoFalseNegativesAndAboutOnePercentFalsePositives() {
        var f = BloomFilter(capacity: 20_000)
        for i in 0..<20_000 { f.insert("in-\(i)") }
        for i in 0..<20_000 { #expect(f.contains("in-\(i)")) }
        let falsePositives = (0..<100_000).filter { f.contains("out-\($0)") }.count
        #expect(falsePositives < 1_500, "\(falsePositives) of 100,000")
    }

    @Test func binnersPlaceValuesAsTheReferenceDefines() {
        let p = Self.sampleProfile()
        let x = FeatureBinner(p.models["m"]!.features["x"]!)
        let edges = p.models["m"]!.features["x"]!.bins!.edges
        #expect(x.place(number: edges[0])?.bin == 0, "an edge belongs to the bin below it")
        #expect(x.place(number: edges[0].nextUp)?.bin == 1)
        #expect(x.place(number: 1e9)! == (bin: edges.count, outOfRange: true))
        let c = FeatureBinner(p.models["m"]!.features["c"]!)
        #expect(c.place(category: "v3")! == (bin: 3, unseen: false))
        #expect(c.place(category: "new")! == (bin: 7, unseen: true))
        #expect(x.place(category: "v3") == nil && c.place(number: 1) == nil)
    }

    /// A profile edited by hand or damaged on disk once crashed or hung `run` (min > max, a Bloom filter with
    /// fewer words than bits, a huge hash count); each is refused at load, naming the model, feature and fault.
    @Test(
        arguments: [
            ("x", "min", 5.0, "min (5.0) is greater than max"),
            ("x", "std", -1.0, "std is negative"),
            ("c", "bin_counts_short", 0, "bin counts for 7 categories"),
            ("c", "filter_words", 0, "known_filter: 1 words for 640 bits"),
            ("c", "filter_hashes", 0, "hash count 1000000000000 is outside"),
            ("x", "weights", 0, "values and weights differ"),
        ] as [(String, String, Double, String)])
    func aDamagedProfileIsRefusedNamingWhatIsWrong(feature: String, fault: String, value: Double, message: String)
        throws
    {
        var root = try JSONSerialization.jsonObject(with: Self.sampleProfile().encoded()) as! [String: Any]
        var models = root["models"] as! [String: Any]
        var m = models["m"] as! [String: Any]
        var features = m["features"] as! [String: Any]
        var f = features[feature] as! [String: Any]
        switch fault {
        case "bin_counts_short": f["binCounts"] = [1.0, 2.0]
        case "filter_words":
            f["knownFilter"] = ["bitCount": 640, "hashCount": 7, "words": [0]]
        case "filter_hashes":
            f["knownFilter"] = ["bitCount": 64, "hashCount": 1_000_000_000_000, "words": [0]]
        case "weights": f["sketchWeights"] = [1]
        default: f[fault] = value
        }
        features[feature] = f
        m["features"] = features
        models["m"] = m
        root["models"] = models
        let data = try JSONSerialization.data(withJSONObject: root)
        do {
            _ = try ReferenceProfile.decode(data, source: "ref.json")
            Issue.record("a damaged profile (\(fault)) was accepted")
        } catch {
            #expect("\(error)".contains("ref.json is a damaged reference profile"), "\(error)")
            #expect("\(error)".contains("model m, feature \(feature): "), "\(error)")
            #expect("\(error)".contains(message), "\(error)")
            #expect("\(error)".contains("rebuild it with `driftd baseline`"))
        }
    }
}
