import Foundation

/// The test's own, independent computation of what the metric lines must say: records parsed with Foundation,
/// windows assigned with Foundation's dates, statistics computed exactly (two-pass, extended precision).
struct ExactStatistics {
    struct Key: Hashable {
        var model: String
        var windowStart: Int64  // epoch milliseconds
        var feature: String
    }

    struct Values {
        var numbers: [Double] = []
        var strings: [String] = []
        var other = 0  // objects
        /// Records with an element, for a multi-valued `NAME[]` (its `strings` are the elements).
        var listed = 0
    }

    var records: [String: [Int64: Int]] = [:]  // model → window start → records
    var labeled: [String: [Int64: (n: Int, correct: Int)]] = [:]  // model → window start → accuracy counts
    var values: [Key: Values] = [:]
    let windowMillis: Int64

    /// The elements of `NAME[]` in one record.
    struct Elements { var values: [String] }

    /// Members as features: a nested object's members named `key.member`, four levels down (`flatten_depth`); an
    /// empty object names nothing. An array is `key.length` and, when it has strings or booleans, `key[]`.
    static func flatten(_ object: [String: Any], prefix: String, depth: Int = 0) -> [(String, Any)] {
        object.flatMap { key, value -> [(String, Any)] in
            if depth < 4, let nested = value as? [String: Any] {
                return flatten(nested, prefix: prefix + key + ".", depth: depth + 1)
            }
            if let array = value as? [Any] {
                let elements = array.compactMap { element -> String? in
                    if let n = element as? NSNumber, String(cString: n.objCType) == "c" {
                        return n.boolValue ? "true" : "false"
                    }
                    return element as? String
                }
                let length: [(String, Any)] = [(prefix + key + ".length", NSNumber(value: array.count))]
                return elements.isEmpty ? length : length + [(prefix + key + "[]", Elements(values: elements))]
            }
            return [(prefix + key, value)]
        }
    }

    init(lines: [String], windowSeconds: Int64) {
        windowMillis = windowSeconds * 1000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let wholeSeconds = ISO8601DateFormatter()
        for line in lines {
            // Windows are whole seconds: the fraction is dropped before parsing, since the formatter reads no more
            // than milliseconds and rounding 23:59:59.9997 would move a record into the next window.
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                let ts = (object["ts"] as? String)?.replacing(/\.[0-9]+/, with: ""),
                let date = formatter.date(from: ts) ?? wholeSeconds.date(from: ts)
            else { continue }
            let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
            let start = ms - ((ms % windowMillis) + windowMillis) % windowMillis
            let model = object["model"] as? String ?? "default"
            records[model, default: [:]][start, default: 0] += 1
            if let actual = object["actual"] as? String,
                let label = (object["prediction"] as? [String: Any])?["label"] as? String
            {
                var entry = labeled[model, default: [:]][start] ?? (0, 0)
                entry.n += 1
                if actual == label { entry.correct += 1 }
                labeled[model, default: [:]][start] = entry
            }
            var named: [(String, Any)] = []
            if let features = object["features"] as? [String: Any] { named += Self.flatten(features, prefix: "") }
            if let prediction = object["prediction"] as? [String: Any] {
                named += Self.flatten(prediction, prefix: "prediction.")
            }
            if let actual = object["actual"] { named.append(("actual", actual)) }
            for (name, value) in named {
                let key = Key(model: model, windowStart: start, feature: name)
                var v = values[key] ?? Values()
                switch value {
                case is NSNull: break
                case let n as NSNumber where String(cString: n.objCType) == "c":  // a JSON boolean
                    v.strings.append(n.boolValue ? "true" : "false")
                case let n as NSNumber: v.numbers.append(n.doubleValue)
                case let s as String: v.strings.append(s)
                case let e as Elements:
                    v.strings += e.values
                    v.listed += 1
                default: v.other += 1
                }
                values[key] = v
            }
        }
    }

    static func mean(_ xs: [Double]) -> Double {
        var sum: Float80 = 0
        for x in xs { sum += Float80(x) }
        return Double(sum / Float80(xs.count))
    }

    static func std(_ xs: [Double]) -> Double? {
        guard xs.count > 1 else { return nil }
        var sum: Float80 = 0
        for x in xs { sum += Float80(x) }
        let m = sum / Float80(xs.count)
        var ss: Float80 = 0
        for x in xs { ss += (Float80(x) - m) * (Float80(x) - m) }
        return Double((ss / Float80(xs.count - 1)).squareRoot())
    }
}
