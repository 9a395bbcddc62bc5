import DriftCore

/// Which closed windows the metric files already hold (DESIGN §8: no window line is written twice), so that
/// they are recomputed after a restart but not written or notified again. Pure bookkeeping; the repair at start
/// and the checkpoint fill it.
///
/// Two sources: windows written after the last checkpoint (found by the repair at start, then carried by every
/// checkpoint until they close again — after a second crash only the checkpoint knows them), and, after a start
/// without a usable checkpoint, per series the newest window start any metric file holds (windows of a series
/// close in order, so every window up to it was written or never existed).
struct WrittenWindows: Equatable {
    private(set) var windows: Set<WindowID> = []
    private(set) var through: [SeriesID: EventTime] = [:]

    init(windows: Set<WindowID> = [], through: [SeriesID: EventTime] = [:]) {
        self.windows = windows
        self.through = through
    }

    /// Whether the window that just closed is already written. A window closes once, so what is found is
    /// forgotten; a newer window of a series ends its `through` entry (every earlier one has closed).
    mutating func closed(_ id: WindowID) -> Bool {
        var written = windows.remove(id) != nil
        if let last = through[id.series] {
            if id.start <= last {
                written = true
            } else {
                through[id.series] = nil
            }
        }
        return written
    }

    var isEmpty: Bool { windows.isEmpty && through.isEmpty }

    /// The checkpoint's fields (`written`, `writtenThrough`), in the forms checkpoints hold.
    var checkpointWritten: Set<String> { Set(windows.map(\.key)) }
    var checkpointThrough: [String: Int64] {
        Dictionary(uniqueKeysWithValues: through.map { ($0.key.key, $0.value.nanoseconds) })
    }

    /// From a checkpoint's fields (entries that do not parse are dropped).
    init(checkpointWritten: [String]?, checkpointThrough: [String: Int64]?) {
        windows = Set((checkpointWritten ?? []).compactMap(WindowID.init(key:)))
        for (key, start) in checkpointThrough ?? [:] {
            if let series = SeriesID(key: key) { through[series] = EventTime(nanoseconds: start) }
        }
    }
}
