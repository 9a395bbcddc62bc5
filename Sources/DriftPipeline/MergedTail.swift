import DriftAggregate
import DriftCore
import DriftRecords
import DriftSources
import DriftStats
import DriftWindows

/// One round of reading in `run`, merged by event time (DESIGN §2): the followed files are lanes of an
/// ``EventTimeMerge``, each with its own parser, read a part at a time; the records aggregated next are always
/// those of the file that is furthest behind in event time. A file caught up (nothing more for now) holds nothing:
/// live, files are taken as they grow, and the allowed lateness covers the writers' skew; a catch-up after downtime
/// interleaves the files as if they had been followed live.
///
/// At most ``MergedRead/maxLanes`` files are merged at once (oldest first); the next takes the place of one caught up.
/// A round reads until every file is caught up (or a stop is asked for), and ends with every batch read aggregated,
/// so that a checkpoint after it holds every file's position exactly.
struct MergedTail {
    let schema: RecordSchema
    let limits: RecordLimits
    let slack: Span
    let wallClock: @Sendable () -> Int64
    /// The parser of each lane (index 0 is the aggregator's own, for the last lines of closed files).
    var parsers: [Int: BatchParser] = [:]
    /// Parser indices of lanes that went away, for new lanes: the aggregator's tables stay as many as the files.
    var freeIndices: [Int] = []
    var nextIndex = 1
    /// The buffer of the last batch ingested, filled again by the next one parsed (``Spares``).
    var spare: RecordBuffer?

    init(schema: RecordSchema, limits: RecordLimits, windows: [WindowSpec], wallClock: @escaping @Sendable () -> Int64)
    {
        self.schema = schema
        self.limits = limits
        slack = MergedRead.slack(for: windows)
        self.wallClock = wallClock
    }

    /// Reads what the followed files hold now, merged, into `aggregator`. Each time `every` windows have closed,
    /// `flush` takes them (a catch-up over hours of thousands of models' logs closes hundreds of thousands) and says
    /// whether to read on; the merge goes on meanwhile, so that no file is left behind the others.
    /// - Returns: true when anything was read.
    mutating func pump(
        _ tailer: Tailer, into aggregator: inout Aggregator, closed: inout [WindowReport], stop: () -> Bool,
        every limit: Int = .max, flush: (inout [WindowReport]) -> Bool = { _ in true }
    ) throws(DriftError) -> Bool {
        let lanes = tailer.lanes
        releaseParsers(keeping: Set(lanes))
        var merge = EventTimeMerge(slack: slack)
        var waiting = lanes[...]
        while merge.laneCount < MergedRead.maxLanes, let lane = waiting.popFirst() { merge.addLane(lane) }
        var any = false
        var paused = false
        var failure: DriftError?
        loop: while true {
            switch merge.next() {
            case .ingest(var slice):
                aggregator.ingest(slice.batch, records: slice.records, closed: &closed)
                // The merge let go of a batch whose last records it handed out: its buffer is filled again.
                if slice.records.upperBound == slice.batch.buffer.records.count && spare == nil {
                    spare = RecordBuffer()
                    swap(&spare!, &slice.batch.buffer)
                }
                if closed.count >= limit && !flush(&closed) { paused = true }
            case .need(let lane):
                var got = false
                if failure == nil && !paused && !stop() {
                    // Taken out while it parses: a parser shared with the dictionary would copy its scratch memory.
                    var parser = parsers.removeValue(forKey: lane) ?? makeParser(labels: tailer.isLabels(lane: lane))
                    do {
                        any =
                            try tailer.read(lane: lane, stop: stop) { batch in
                                got = true
                                merge.push(parser.parse(batch, reusing: &spare), lane: lane)
                            } || any
                    } catch {
                        failure = error
                    }
                    parsers[lane] = parser
                }
                if !got {
                    // Caught up (or stopping): the next file takes its place.
                    merge.removeLane(lane)
                    if let next = waiting.popFirst() { merge.addLane(next) }
                }
            case .idle:
                break loop
            }
        }
        tailer.parkQuiet()
        if let failure { throw failure }
        return any
    }

    mutating func makeParser(labels: Bool) -> BatchParser {
        let index: Int
        if let free = freeIndices.popLast() {
            index = free
        } else {
            index = nextIndex
            nextIndex += 1
        }
        return BatchParser(index: index, schema: schema, limits: limits, labels: labels, wallClock: wallClock)
    }

    /// Lets the parsers of files no longer followed go; their indices serve new files.
    mutating func releaseParsers(keeping lanes: Set<Int>) {
        for (lane, parser) in parsers where !lanes.contains(lane) {
            freeIndices.append(parser.index)
            parsers[lane] = nil
        }
    }
}
