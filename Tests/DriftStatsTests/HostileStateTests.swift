import DriftStats
import Foundation
import Testing

/// Sketch states read from a checkpoint that was damaged or written by someone else: refused with a decoding
/// error, never a trap, a hang or a table of 10^12 counters.
@Suite struct HostileStateTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test func aHeavyHitterStateWithAnAbsurdCapacityOrCountsIsRefused() throws {
        var hh = HeavyHitters(capacity: 4)
        for v in ["a", "b", "a"] { hh.add(v) }
        let good = String(decoding: try JSONEncoder().encode(hh), as: UTF8.self)
        #expect(decode(HeavyHitters.self, good) == hh, "an intact state round-trips")
        #expect(decode(HeavyHitters.self, #"{"capacity":1000000000000,"counters":{},"maxError":0}"#) == nil)
        #expect(decode(HeavyHitters.self, #"{"capacity":0,"counters":{},"maxError":0}"#) == nil)
        #expect(decode(HeavyHitters.self, #"{"capacity":1,"counters":{"a":1,"b":1,"c":1},"maxError":0}"#) == nil)
        #expect(decode(HeavyHitters.self, #"{"capacity":4,"counters":{"a":-5},"maxError":0}"#) == nil)
        #expect(decode(HeavyHitters.self, #"{"capacity":4,"counters":{},"maxError":-1}"#) == nil)
    }

    @Test func aKLLStateThatCouldNotBeContinuedIsRefused() throws {
        var kll = KLLSketch(k: 200)
        for i in 0..<1000 { kll.add(Double(i)) }
        let good = try JSONSerialization.jsonObject(with: JSONEncoder().encode(kll)) as! [String: Any]
        func variant(_ change: (inout [String: Any]) -> Void) -> KLLSketch? {
            var o = good
            change(&o)
            return try? JSONDecoder().decode(KLLSketch.self, from: JSONSerialization.data(withJSONObject: o))
        }
        #expect(variant { _ in } == kll, "an intact state round-trips")
        #expect(variant { $0["k"] = 0 } == nil, "k 0 compacted forever")
        #expect(variant { $0["k"] = 1 << 40 } == nil)
        #expect(variant { $0["count"] = 5 } == nil, "the items' weights do not add up to n")
        #expect(
            variant {
                $0["min"] = 2000.0
                $0["max"] = 1.0
            } == nil)
        #expect(variant { $0["levels"] = Array(repeating: [String](), count: 100) } == nil, "100 levels")
    }
}
