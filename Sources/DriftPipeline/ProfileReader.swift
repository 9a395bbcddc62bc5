import DriftCore
import DriftEvaluate
import DriftSinks
import DriftStats
import Foundation

/// Reads `profiles.jsonl` lines (schema `driftd.profile.v1`) into ``ProfileRecord``s; a line that is not one says
/// why.
enum ProfileReader {
    struct Refusal: Error {
        var reason: String
    }

    static func record(_ line: some Collection<UInt8>) throws(Refusal) -> ProfileRecord {
        guard let o = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
            throw Refusal(reason: "not a JSON object")
        }
        guard o["schema"] as? String == ProfileLineEncoder.schema else {
            throw Refusal(reason: "schema \(o["schema"] ?? "missing"), not \(ProfileLineEncoder.schema)")
        }
        func string(_ k: String) throws(Refusal) -> String {
            guard let s = o[k] as? String else { throw Refusal(reason: "no \(k)") }
            return s
        }
        func int(_ k: String) throws(Refusal) -> Int {
            guard let n = o[k] as? Int else { throw Refusal(reason: "no \(k)") }
            return n
        }
        func time(_ k: String) throws(Refusal) -> EventTime {
            guard let t = EventTime(rfc3339: try string(k)) else { throw Refusal(reason: "\(k) is not RFC 3339") }
            return t
        }
        func bytes(_ k: String) throws(Refusal) -> [UInt8]? {
            guard let sketch = o[k] as? [String: Any] else { return nil }
            guard let text = sketch["b64"] as? String, let data = Data(base64Encoded: text) else {
                throw Refusal(reason: "\(k) has no base64 bytes")
            }
            return Array(data)
        }
        guard let type = FeatureType(rawValue: try string("type")) else { throw Refusal(reason: "unknown type") }
        var r = ProfileRecord(
            model: try string("model"), modelVersion: o["model_version"] as? String, instance: try string("instance"),
            window: try string("window"), start: try time("window_start"), end: try time("window_end"),
            feature: try string("feature"), type: type, records: try int("records"), n: try int("n"),
            missing: try int("missing"), invalid: try int("invalid"))
        r.nonFinite = o["non_finite"] as? Int ?? 0
        r.shift = o["shift"] as? Double ?? 0
        r.sum = o["sum"] as? Double ?? 0
        r.sumSq = o["sum_sq"] as? Double ?? 0
        r.min = o["min"] as? Double
        r.max = o["max"] as? Double
        r.hist = o["hist"] as? [Int] ?? []
        r.ref = o["ref"] as? String
        r.top = (o["top"] as? [[String: Any]] ?? []).compactMap { t in
            guard let v = t["value"] as? String, let c = t["count"] as? Int else { return nil }
            return (v, c)
        }
        r.topError = o["top_error"] as? Int ?? 0
        r.outOfRange = o["out_of_range"] as? Int ?? 0
        r.unseen = o["unseen"] as? Int ?? 0
        do {
            if let b = try bytes("kll") { r.kll = try DataSketchesKLL(image: b) }
            if let b = try bytes("hll") { r.hll = try HLL8Sketch(image: b) }
        } catch let e as DataSketchesKLL.ImageError {
            throw Refusal(reason: "kll: \(e.description)")
        } catch let e as HLL8Sketch.ImageError {
            throw Refusal(reason: "hll: \(e.description)")
        } catch let e as Refusal {
            throw e
        } catch {
            throw Refusal(reason: "\(error)")
        }
        return r
    }
}
