import DriftAggregate
import DriftConfig
import DriftCore
import DriftRecords
import DriftSources
import DriftWindows
import Foundation
import Logging

/// Reads finished inputs merged by event time (DESIGN §2), for `replay`: one lane per file, each read and
/// decompressed on its own thread and parsed on its own parsers, a few batches ahead; an ``EventTimeMerge`` says
/// which lane's records are aggregated next, on the calling thread.
///
/// At most ``maxLanes`` files are open at once: up to that many writers at once interleave. Memory is bounded by
/// the open lanes' read-ahead, not by the length of the history.
struct MergedRead {
    /// Files merged at once, at most.
    static let maxLanes = 32

    let paths: [String]
    /// Those of `paths` that are `labels:` inputs (DESIGN §12), merged by event time with the predictions.
    var labelPaths: Set<String> = []
    let config: DriftConfig
    let workers: Int
    let wallClock: @Sendable () -> Int64
    let telemetry: Telemetry

    /// One file being read: its reader thread feeds its parsers, which the merge takes from.
    final class Lane: @unchecked Sendable {  // `failure` behind its mutex; the rest is set before the thread starts
        let parsers: ParallelParser
        let failure = Locked<DriftError?>(nil)

        init(path: String, slot: Int, perLane: Int, read: MergedRead) {
            let config = read.config
            // A lane keeps one batch ahead of its parsers. With several files, a lane also reads smaller batches: 8
            // writers' lanes of 4,096-line batches three ahead held 26 MiB each, of 1,024-line batches one ahead 9
            // MiB. One file had two batches ahead: one ahead measured the same speed for 1 and 1,000 models, and
            // 8-10 MiB less peak RSS (16,384-line batches; docs/benchmarks.md).
            let several = read.paths.count > 1
            // One file: line batches go round between the reader and the parsers, and parsed ones between the
            // aggregator and the parsers (`Spares`, `AllocatorTuning`): 1,000 models' peak RSS about 247 MiB became
            // 232-235, with half the page faults. Several files' batches are smaller than the allocator maps, and
            // spares kept for each of up to 32 lanes would add up.
            let spares = several ? 0 : 2
            let lineSpares = several ? nil : Spares<LineBatch>(kept: spares)
            parsers = ParallelParser(
                workers: perLane, schema: config.schema, limits: config.limits.records,
                labels: read.labelPaths.contains(path),
                inFlight: perLane + 1, firstIndex: 1 + slot * perLane, lineSpares: lineSpares, spares: spares,
                wallClock: read.wallClock)
            let telemetry = read.telemetry
            // One file: batches of up to 4 MiB (the reader's cap). With thousands of models, a batch of 4,096 lines
            // gave each open window one or two records, each a cache miss on its accumulators; ~10k lines take
            // them in runs (1,000 models: 9.8-12 s became 7.0-7.3 s; one model 2.7 s became 2.2 s, peak RSS 75
            // MiB became 95 MiB).
            let batchLines = several ? 1024 : 16384
            Thread { [self] in
                do {
                    let reader = try SourceReader(
                        path: path, maxLineBytes: config.limits.maxLineBytes, batchLines: batchLines,
                        maxZstdWindow: config.limits.maxZstdWindow.bytes, telemetry: telemetry)
                    reader.spares = lineSpares
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
    ///
    /// A file becomes a lane only once the merge reaches its first record (less the slack): files are looked at in
    /// write order, ``lookAhead`` at a time, for their first record's event time, and opened oldest first. So a
    /// rotated set of eight writers keeps eight lanes open, not forty, and memory follows the writers, not the files.
    func run(batchRead: (ParsedBatch) -> Void, aggregate: (EventTimeMerge.Slice) -> Void) throws(DriftError) {
        let slack = Self.slack(for: config.windows)
        var merge = EventTimeMerge(slack: slack)
        let perLane = max(1, workers / max(1, min(Self.maxLanes, paths.count)))
        var schedule = Schedule(pending: paths[...])
        var lanes: [Int: Lane] = [:]
        var freeSlots = Array((0..<Self.maxLanes).reversed())
        var firstFailure: DriftError?
        while true {
            schedule.fill { firstRecordTime($0) }
            if !freeSlots.isEmpty, let next = schedule.next,
                merge.laneCount == 0 || merge.oldestHead.map({ next.start <= $0 &+ slack.nanoseconds }) ?? false
            {
                schedule.removeNext()
                let slot = freeSlots.removeLast()
                lanes[slot] = Lane(path: next.path, slot: slot, perLane: perLane, read: self)
                merge.addLane(slot)
                continue
            }
            switch merge.next(notOpened: schedule.next?.start) {
            case .ingest(var slice):
                aggregate(slice)
                // The merge let go of a batch whose last records it handed out: its buffer is filled again.
                if slice.records.upperBound == slice.batch.buffer.records.count {
                    lanes[slice.lane]?.parsers.recycle(&slice.batch)
                }
            case .need(let slot):
                let lane = lanes[slot]!
                if let batch = lane.parsers.take() {
                    batchRead(batch)
                    merge.push(batch, lane: slot)
                } else {
                    if let error = lane.failure.withLock({ $0 }), firstFailure == nil { firstFailure = error }
                    merge.removeLane(slot)
                    lanes[slot] = nil
                    freeSlots.append(slot)
                }
            case .idle:
                guard schedule.next == nil else { continue }
                if let firstFailure { throw firstFailure }
                return
            }
        }
    }

    /// Files looked at ahead of the merge for their first record's time.
    static let lookAhead = 64

    /// The files not yet opened: the next ``lookAhead`` in write order with their first record's event time, the
    /// rest still to be looked at.
    struct Schedule {
        var pending: ArraySlice<String>
        var probed: [(start: Int64, path: String)] = []

        /// The file whose first record is oldest (write order on a tie).
        var next: (start: Int64, path: String)? { probed.first }

        mutating func removeNext() { probed.removeFirst() }

        mutating func fill(_ firstRecordTime: (String) -> Int64) {
            while probed.count < MergedRead.lookAhead, let path = pending.popFirst() {
                let start = firstRecordTime(path)
                let at = probed.firstIndex { $0.start > start } ?? probed.count
                probed.insert((start, path), at: at)
            }
        }
    }

    /// The event time of the file's first record (its first lines, read with telemetry of its own so that nothing
    /// is counted twice); `Int64.min` when there is none to be found there, or for standard input, which cannot
    /// be read twice: such an input is opened at once.
    func firstRecordTime(_ path: String) -> Int64 {
        guard path != "-", paths.count > 1 else { return .min }  // (one file: nothing to order)
        let quiet = Telemetry(logger: Logger(label: "driftd.probe", factory: { _ in SwiftLogNoOpLogHandler() }))
        guard
            let reader = try? SourceReader(
                path: path, maxLineBytes: config.limits.maxLineBytes, batchLines: 64,
                maxZstdWindow: config.limits.maxZstdWindow.bytes, telemetry: quiet)
        else { return .min }
        var parser = BatchParser(
            index: 0, schema: config.schema, limits: config.limits.records, labels: labelPaths.contains(path),
            wallClock: wallClock)
        var first: Int64?
        let found = { first != nil }
        _ = try? reader.pump(stop: found) { batch in
            if first == nil { first = parser.parse(batch).buffer.records.first?.time.nanoseconds }
        }
        return first ?? .min
    }
}
