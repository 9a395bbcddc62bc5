import DequeModule
import DriftWindows

/// What models evicted to make room for others leave behind: their window trackers (newest event time, what was
/// closed), so that a model that comes back does not open — and write a second time — a window it wrote before.
/// At most ``capacity`` are kept, the oldest forgotten first (a record of a model evicted that long ago, for a
/// window already written, would be written again: documented in docs/reliability.md).
struct EvictedModels: Codable, Sendable {
    static let capacity = 100_000

    private var trackers: [String: [WindowTracker]] = [:]
    private var order = Deque<String>()

    var isEmpty: Bool { trackers.isEmpty }
    var count: Int { trackers.count }

    mutating func keep(_ model: String, trackers kept: [WindowTracker]) {
        if trackers.updateValue(kept, forKey: model) == nil { order.append(model) }
        while trackers.count > Self.capacity, let oldest = order.popFirst() { trackers[oldest] = nil }
    }

    /// The trackers of `model`, if it was evicted, forgotten here.
    mutating func take(_ model: String) -> [WindowTracker]? {
        guard let kept = trackers.removeValue(forKey: model) else { return nil }
        if let i = order.firstIndex(of: model) { order.remove(at: i) }
        return kept
    }

    private enum CodingKeys: String, CodingKey { case models }
    private struct Entry: Codable {
        var model: String
        var trackers: [WindowTracker]
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let entries = try decoder.container(keyedBy: CodingKeys.self).decode([Entry].self, forKey: .models)
        for e in entries { keep(e.model, trackers: e.trackers) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(order.compactMap { m in trackers[m].map { Entry(model: m, trackers: $0) } }, forKey: .models)
    }
}
