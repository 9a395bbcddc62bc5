import DriftCore

/// The window state machine of one (model, window size): which windows are open, what the watermark is,
/// and what to do with each record. Pure: it keeps no statistics and reads no clock; it returns actions and
/// the pipeline performs them (the swift-nio state-machine pattern).
///
/// Semantics (DESIGN §3): the watermark is the largest event time seen minus `allowedLateness`; a window
/// closes when the watermark reaches its end. A record whose windows are all closed already is late: dropped
/// and counted once (in the newest open window). A record some of whose (sliding) windows are still open
/// goes into those.
public struct WindowTracker: Sendable, Codable {
    public let spec: WindowSpec
    public private(set) var maxEventTime: EventTime?
    /// Starts of the open windows, ascending.
    public private(set) var open: [Int64] = []
    /// End of the newest window closed early (an idle timeout): windows ending by then are final, so a record
    /// for one of them is late rather than reopening it.
    public private(set) var closedThrough: Int64?

    public init(spec: WindowSpec) {
        self.spec = spec
    }

    /// The watermark, or nil before the first record.
    public var watermark: EventTime? { maxEventTime.map { $0 - spec.allowedLateness } }

    /// What to do with one record.
    public struct Placement: Equatable, Sendable {
        /// Starts of the windows (all open) that take the record.
        public var windows: [Int64]
        /// The record is late for every one of its windows: dropped, counted once as late.
        public var late: Bool
        /// Windows that closed because this record moved the watermark, oldest first: emit them.
        public var closed: [Int64]

        public init(windows: [Int64], late: Bool, closed: [Int64]) {
            self.windows = windows
            self.late = late
            self.closed = closed
        }
    }

    /// Places a record with event time `time`.
    public mutating func place(_ time: EventTime) -> Placement {
        var placement = Placement(windows: [], late: false, closed: [])
        placement.late = place(time, windows: &placement.windows, closed: &placement.closed)
        return placement
    }

    /// Places a record like ``place(_:)``, into arrays the caller reuses (the pipeline places every record: no
    /// allocation per record). `windows` and `closed` are emptied first.
    /// - Returns: whether the record is late.
    public mutating func place(_ time: EventTime, windows: inout [Int64], closed: inout [Int64]) -> Bool {
        windows.removeAll(keepingCapacity: true)
        closed.removeAll(keepingCapacity: true)
        for start in spec.starts(containing: time) where !isClosed(start) {
            windows.append(start)
            insertOpen(start)
        }
        if maxEventTime == nil || time > maxEventTime! {
            maxEventTime = time
            closeReady(into: &closed)
        }
        return windows.isEmpty
    }

    /// Closes every open window (end of input in `replay`, or an idle timeout).
    public mutating func closeAll() -> [Int64] {
        if let last = open.last { closedThrough = max(closedThrough ?? .min, last + spec.size.nanoseconds) }
        defer { open.removeAll() }
        return open
    }

    /// The start of the newest open window, where late records are counted.
    public var newestOpen: Int64? { open.last }

    public func end(of start: Int64) -> EventTime { EventTime(nanoseconds: start + spec.size.nanoseconds) }

    /// A window is closed once the watermark has reached its end, or once a later window was closed early.
    private func isClosed(_ start: Int64) -> Bool {
        let end = start + spec.size.nanoseconds
        if let closedThrough, end <= closedThrough { return true }
        guard let watermark else { return false }
        return end <= watermark.nanoseconds
    }

    private mutating func insertOpen(_ start: Int64) {
        if let last = open.last, last < start {
            open.append(start)
            return
        }
        var lo = 0
        var hi = open.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if open[mid] < start { lo = mid + 1 } else { hi = mid }
        }
        if lo < open.count && open[lo] == start { return }
        open.insert(start, at: lo)
    }

    private mutating func closeReady(into closed: inout [Int64]) {
        var n = 0
        while n < open.count && isClosed(open[n]) { n += 1 }
        guard n > 0 else { return }
        closed.append(contentsOf: open[0..<n])
        open.removeFirst(n)
    }
}
