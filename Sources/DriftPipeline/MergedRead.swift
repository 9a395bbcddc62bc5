import DriftAggregate
import DriftConfig
import DriftCore
import DriftRecords
import DriftSources
import DriftWindows
import Foundation
import Synchronization

/// Reads finished inputs merged by event time (DESIGN §2), for `replay`: one lane per file, each read and
/// decompressed on its own thread and parsed on its own parsers, a few batches ahead; an ``EventTimeMerge`` says
/// which lane's records are aggregated next, on the calling thread.
///
/// At most ``maxLanes`` files are open at once, taken in write order (oldest modification time first): a rotated
/// set is read a few files at a time, and up to that many writers at once interleave. Memory is bounded by the
/// lanes' read-ahead, not by the length of the history.
struct MergedRead {
    /// Files merged at once, at most.
    static let maxLanes = 32

    let paths: [String]
    let config: DriftConfig
    let workers: Int
    let wallClock: @Sendable () -> Int64
    let telemetry: Telemetry

    /// One file being read: its reader thread feeds its parsers, which the merge takes from.
    final class Lane: @unchecked Sendable {  // `failure` behind its mutex; the rest is set before the thread starts
        let parsers: ParallelParser
        let failure = Mutex<DriftError?>(nil)

        init(path: String, slot: Int, perLane: Int, read: MergedRead) {
            let config = read.config
            parsers = ParallelParser(
                workers: perLane, schema: config.schema, limits: config.limits.records, inFlight: 2 * perLane + 1,
                firstIndex: 1 + slot * perLane, wallClock: read.wallClock)
            let telemetry = read.telemetry
            Thread { [self] in
                do {
                    let reader = try SourceReader(
                        path: path, maxLineBytes: config.limits.maxLineBytes,
                        maxZstdWindow: config.limits.maxZstdWindow.bytes, telemetry: telemetry)
                    try reader.pump { parsers.submit($0) }
                    reader.finish { parsers.submit($0) }
                } catch {
                    failure.withLock { $0 = error as? DriftError ?? DriftError(.io, "\(error)") }
                }
                parsers.finish()
            }.start()
        }
    }

    /// The merge's slack: under every window size's allowed lateness, so that merging makes no record late.
    static func slack(for windows: [WindowSpec]) -> Span {
        Span(nanoseconds: (windows.map(\.allowedLateness.nanoseconds).min() ?? 0) / 2)
    }

    /// Reads every file to its end. `batchRead` sees each parsed batch as it comes (progress); `aggregate` takes
    /// the slices in merged order. Throws the first read failure, after the other lanes are drained.
    func run(batchRead: (ParsedBatch) -> Void, aggregate: (EventTimeMerge.Slice) -> Void) throws(DriftError) {
        var merge = EventTimeMerge(slack: Self.slack(for: config.windows))
        let laneCount = min(Self.maxLanes, paths.count)
        let perLane = max(1, workers / max(1, laneCount))
        var pending = paths[...]
        var lanes: [Int: Lane] = [:]
        var firstFailure: DriftError?
        func open(slot: Int) {
            guard let path = pending.popFirst() else { return }
            lanes[slot] = Lane(path: path, slot: slot, perLane: perLane, read: self)
            merge.addLane(slot)
        }
        for slot in 0..<laneCount { open(slot: slot) }
        while true {
            switch merge.next() {
            case .ingest(let slice):
                aggregate(slice)
            case .need(let slot):
                let lane = lanes[slot]!
                if let batch = lane.parsers.take() {
                    batchRead(batch)
                    merge.push(batch, lane: slot)
                } else {
                    if let error = lane.failure.withLock({ $0 }), firstFailure == nil { firstFailure = error }
                    merge.removeLane(slot)
                    lanes[slot] = nil
                    open(slot: slot)
                }
            case .idle:
                if let firstFailure { throw firstFailure }
                return
            }
        }
    }
}
