import DriftCore
import DriftRecords

/// Admission of a model's features within `limits.maxFeatures` (the aggregator decides, this keeps the state):
/// the shapes that skip the check, the admitted features and when each was last seen, and their retirement.
extension ModelWindows {
    /// Event time after which a feature no record carried is retired: ten of the largest window size.
    var retireAfter: Int64 { 10 * (specs.map(\.tracker.spec.size.nanoseconds).max() ?? 0) }

    /// True when `values` (read by `parser`) name exactly the features of a recent record whose features were
    /// all admitted.
    @inline(__always)
    mutating func hasKnownShape(_ values: UnsafeBufferPointer<RecordBuffer.Value>, parser: Int) -> Bool {
        for shape in shapes where shape.parser == parser && shape.ids.count == values.count {
            let same = shape.ids.withUnsafeBufferPointer { ids in
                for i in 0..<values.count where ids[i] != values[i].feature { return false }
                return true
            }
            if same { return true }
        }
        return false
    }

    mutating func rememberShape(_ values: UnsafeBufferPointer<RecordBuffer.Value>, parser: Int) {
        if shapes.count == Self.shapesKept { shapes.removeLast() }
        shapes.insert((parser, values.map(\.feature)), at: 0)
    }

    /// Forgets the shapes read by `parser` (its ids changed meaning).
    mutating func forgetShapes(of parser: Int) { shapes.removeAll { $0.parser == parser } }

    func isAdmitted(_ id: Int32) -> Bool { admitted[id] != nil }

    var admittedCount: Int { admitted.count }

    /// Takes feature `id` in, seen at event time `time`.
    mutating func admit(_ id: Int32, at time: Int64) {
        admitted[id] = time
    }

    /// The ids of the features retired since the last call, to be released by the aggregator.
    mutating func takeRetired() -> [Int32] {
        defer { retired = [] }
        return retired
    }

    /// Every admitted feature's id, for an eviction (all are released).
    var admittedIDs: [Int32] { Array(admitted.keys) }

    /// Retires the features last seen before `limit` (event time) that the reference does not name.
    mutating func retire(before limit: Int64, names byID: [String?]) {
        var any = false
        for (id, seen) in admitted where seen < limit {
            let name = Int(id) < byID.count ? byID[Int(id)] : nil
            if let name, reference?.features[name] != nil { continue }
            admitted[id] = nil
            if let name { types[name] = nil }
            if Int(id) < resolved.count {
                resolved[Int(id)] = false
                binners[Int(id)] = nil
            }
            retired.append(id)
            any = true
        }
        if any { shapes.removeAll() }
    }
}
