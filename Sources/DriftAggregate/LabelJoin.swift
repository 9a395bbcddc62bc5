import DequeModule
import DriftCore
import DriftStats
import DriftWindows

/// Joins labels that arrive later (`labels:`) to the predictions they are for, by request id (DESIGN §12), and
/// says when a window's performance is final. A state machine over event time: the caller feeds predictions and
/// labels and reads what became final; no I/O, no clock.
///
/// A prediction with a request id waits, in a bounded buffer, for its label until the join's time (the newest
/// event time of a prediction or a label it has seen) passes its own time by `maxDelay` plus `lateness`; then it
/// is unmatched. A label whose prediction has not been seen waits as long for it (files are read merged by event
/// time, and a label's clock may run behind). A window's performance is final once the join's time passes its end
/// by as much: every prediction in it has then been matched or given up.
///
/// A request joined is remembered (its key and time) for as long as a label could still come for it, so that a
/// second label counts as a duplicate and not as unmatched.
///
/// Memory: one entry per pending prediction or label, about 150 bytes (measured in docs/benchmarks.md), at most
/// `maxPending` of each; beyond, the oldest is given up and counted. Joined requests: at most `maxPending` too.
public struct LabelJoin: Sendable {
    /// A request id's 128-bit hash (MurmurHash3): what the buffer keys on, 16 bytes whatever the id's length.
    public struct Key: Hashable, Sendable, Codable {
        public var high: UInt64
        public var low: UInt64

        public init(_ bytes: UnsafeRawBufferPointer) {
            (high, low) = MurmurHash3.hash128(bytes, seed: 0x6472_6966_7464)
        }

        public init(_ text: String) {
            var text = text
            self = text.withUTF8 { Key(UnsafeRawBufferPointer($0)) }
        }
    }

    struct Pending: Sendable, Codable {
        var model: Int32
        var time: Int64
        var predicted: PredictedOutcome
    }

    struct Orphan: Sendable, Codable {
        var time: Int64
        var actual: ActualOutcome
    }

    /// A window's join so far.
    public struct Window: Hashable, Sendable, Codable {
        /// Predictions with a request id.
        public var predictions = 0
        /// Predictions whose label came in time.
        public var labeled = 0
        /// Predictions given up without a label.
        public var unmatched = 0
        /// Predictions still waiting: the window is not final while any does (the buffer gives up in arrival
        /// order, which the merge keeps only roughly in event time).
        public var waiting = 0
        public var performance = PerformanceAccumulator()
    }

    struct WindowKey: Hashable, Sendable, Codable, Comparable {
        var model: Int32
        var spec: Int32
        var start: Int64

        static func < (a: WindowKey, b: WindowKey) -> Bool { (a.start, a.model, a.spec) < (b.start, b.model, b.spec) }
    }

    /// A window whose performance is final.
    public struct Final: Sendable {
        public var model: String
        /// Index into the window sizes.
        public var spec: Int
        public var start: Int64
        public var window: Window
    }

    /// What happened, for the telemetry (the caller logs and counts).
    public struct Counts: Hashable, Sendable, Codable {
        public var joined = 0
        /// Labels whose prediction never came (or came after the label was given up).
        public var labelsUnmatched = 0
        /// Labels for a request already labeled (the first one counts).
        public var labelsDuplicate = 0
        /// Entries given up early because the buffer was full.
        public var overflow = 0
    }

    let specs: [WindowSpec]
    /// How long after a prediction its label may come, and the lateness allowed on top.
    let wait: Int64
    let maxPending: Int
    var models: [String] = []
    var modelIDs: [String: Int32] = [:]
    var pending: [Key: Pending] = [:]
    var orphans: [Key: Orphan] = [:]
    /// Arrival order, nearly event-time order (the inputs are merged by event time): what is given up first.
    var pendingOrder = Deque<Key>()
    var orphanOrder = Deque<Key>()
    /// Requests joined, by their prediction's time, for as long as a label for them could still come: a second
    /// label is then a duplicate, and a second prediction is not a new one. Join order (what is forgotten first).
    var joined: [Key: Int64] = [:]
    var joinedOrder = Deque<Key>()
    var windows: [WindowKey: Window] = [:]
    /// The newest event time seen.
    public internal(set) var now = Int64.min
    /// Windows ending at or before this are final and written: a prediction for one of them comes too late.
    var finalThrough = Int64.min
    /// No window held ends before this (recomputed when windows are taken).
    var earliestEnd = Int64.max
    public internal(set) var counts = Counts()

    public init(windows: [WindowSpec], maxDelay: Span, maxPending: Int) {
        specs = windows
        wait = maxDelay.nanoseconds + (windows.map(\.allowedLateness.nanoseconds).max() ?? 0)
        self.maxPending = max(1, maxPending)
    }

    /// Predictions waiting for their label.
    public var pendingCount: Int { pending.count }
    public var orphanCount: Int { orphans.count }

    /// A prediction with a request id, from the model `model` at `time`.
    public mutating func addPrediction(_ key: Key, model: String, time: Int64, predicted: PredictedOutcome) {
        addPrediction(key, modelID: modelID(model), time: time, predicted: predicted)
    }

    /// ``addPrediction(_:model:time:predicted:)`` with the model's id in the join (``modelID(_:)``), which the
    /// caller keeps: no string is hashed per prediction.
    public mutating func addPrediction(_ key: Key, modelID id: Int32, time: Int64, predicted: PredictedOutcome) {
        if let orphan = orphans.removeValue(forKey: key) {
            forEachWindow(of: id, at: time) { $0.predictions += 1 }
            join(key, Pending(model: id, time: time, predicted: predicted), orphan.actual, wasWaiting: false)
        } else if pending[key] == nil && joined[key] == nil {
            pending[key] = Pending(model: id, time: time, predicted: predicted)
            forEachWindow(of: id, at: time) {
                $0.predictions += 1
                $0.waiting += 1
            }
            pendingOrder.append(key)
            while pending.count > maxPending, let oldest = pendingOrder.popFirst() {
                if let p = pending.removeValue(forKey: oldest) {
                    counts.overflow += 1
                    giveUp(p)
                }
            }
        }  // else a request id seen twice while its first waits or after it was joined: only the first counts
        now = max(now, time)
    }

    /// A label: the actual outcome of the request `key`, known at `time`.
    public mutating func addLabel(_ key: Key, time: Int64, actual: ActualOutcome) {
        if let p = pending.removeValue(forKey: key) {
            join(key, p, actual)
        } else if joined[key] == nil && orphans[key] == nil {
            orphans[key] = Orphan(time: time, actual: actual)
            orphanOrder.append(key)
            while orphans.count > maxPending, let oldest = orphanOrder.popFirst() {
                if orphans.removeValue(forKey: oldest) != nil {
                    counts.overflow += 1
                    counts.labelsUnmatched += 1
                }
            }
        } else {
            counts.labelsDuplicate += 1
        }
        now = max(now, time)
    }

    /// Gives up what waited too long, and returns the windows that are final, oldest first.
    public mutating func finals() -> [Final] {
        expire(through: now == .min ? .min : now &- wait)
        let through = now == .min ? Int64.min : now &- wait
        finalThrough = max(finalThrough, through)
        // Called after every batch: the windows (thousands of models × a day of them) are looked at only once
        // the earliest of them may have ended.
        guard through >= earliestEnd else { return [] }
        let sizes = specs.map(\.size.nanoseconds)
        let done = takeWindows { key, w in w.waiting == 0 && key.start + sizes[Int(key.spec)] <= through }
        earliestEnd = windows.keys.map { $0.start + sizes[Int($0.spec)] }.min() ?? .max
        return done
    }

    /// Gives up every prediction still waiting and returns every window (end of a replay).
    public mutating func finishAll() -> [Final] {
        expire(through: .max)
        finalThrough = .max
        earliestEnd = .max
        return takeWindows { _, _ in true }
    }

    mutating func expire(through limit: Int64) {
        while let key = pendingOrder.first {
            guard let p = pending[key] else {
                pendingOrder.removeFirst()
                continue
            }
            guard p.time <= limit else { break }
            pendingOrder.removeFirst()
            pending[key] = nil
            giveUp(p)
        }
        while let key = orphanOrder.first {
            guard let o = orphans[key] else {
                orphanOrder.removeFirst()
                continue
            }
            guard o.time <= limit else { break }
            orphanOrder.removeFirst()
            orphans[key] = nil
            counts.labelsUnmatched += 1
        }
        while let key = joinedOrder.first {
            guard let time = joined[key], time > limit else {
                joinedOrder.removeFirst()
                joined[key] = nil
                continue
            }
            break
        }
    }

    mutating func takeWindows(_ isFinal: (WindowKey, Window) -> Bool) -> [Final] {
        let done = windows.filter { isFinal($0.key, $0.value) }.keys.sorted()
        return done.map { key in
            let w = windows.removeValue(forKey: key)!
            return Final(model: models[Int(key.model)], spec: Int(key.spec), start: key.start, window: w)
        }
    }

    /// `wasWaiting`: the prediction was in the buffer (not joined to a label that came first).
    mutating func join(_ key: Key, _ p: Pending, _ actual: ActualOutcome, wasWaiting: Bool = true) {
        counts.joined += 1
        joined[key] = p.time
        joinedOrder.append(key)
        // Bounded like the buffers; a request forgotten early takes a second label as unmatched, not duplicate.
        while joined.count > maxPending, let oldest = joinedOrder.popFirst() { joined[oldest] = nil }
        forEachWindow(of: p.model, at: p.time) {
            $0.labeled += 1
            if wasWaiting { $0.waiting -= 1 }
            $0.performance.add(p.predicted, actual)
        }
    }

    mutating func giveUp(_ p: Pending) {
        forEachWindow(of: p.model, at: p.time) {
            $0.unmatched += 1
            $0.waiting -= 1
        }
    }

    mutating func forEachWindow(of model: Int32, at time: Int64, _ body: (inout Window) -> Void) {
        for (i, spec) in specs.enumerated() {
            for start in spec.starts(containing: EventTime(nanoseconds: time)) {
                let key = WindowKey(model: model, spec: Int32(i), start: start)
                // A window not held that ended by `finalThrough` was written: what comes for it is too late.
                guard windows[key] != nil || start + spec.size.nanoseconds > finalThrough else { continue }
                if windows[key] == nil { earliestEnd = min(earliestEnd, start + spec.size.nanoseconds) }
                body(&windows[key, default: Window()])
            }
        }
    }

    /// The join's id for a model (its windows and pending predictions name it by this).
    public mutating func modelID(_ name: String) -> Int32 {
        if let id = modelIDs[name] { return id }
        let id = Int32(models.count)
        models.append(name)
        modelIDs[name] = id
        return id
    }
}
