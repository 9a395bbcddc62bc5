import DriftAggregate
import DriftCore
import DriftRecords
import DriftStats
import DriftTestSupport
import DriftWindows
import Testing

/// The k-way merge by event time (DESIGN §2), driven as replay drives it: every lane's batches known up front.
@Suite struct EventTimeMergeTests {
    static let start = EventTime(nanoseconds: 1_795_000_000_000_000_000)  // 2026-11-18

    /// One writer's lines: a record every `every` seconds from `skew` on, `x` its index.
    static func writer(_ name: String, records: Int, every: Double, skew: Double) -> [String] {
        (0..<records).map { i in
            let t = start + Span(nanoseconds: Int64((skew + Double(i) * every) * 1e9))
            return #"{"ts":"\#(t.rfc3339)","model":"m","features":{"x":\#(i),"w":"\#(name)"}}"#
        }
    }

    /// The lines cut in batches of `size`, each parsed by the lane's own parser.
    static func parsed(_ lines: [String], size: Int, parser index: Int) -> [ParsedBatch] {
        var parser = BatchParser(index: index, schema: .default)
        return stride(from: 0, to: lines.count, by: size).map {
            parser.parse(lineBatch(Array(lines[$0..<min($0 + size, lines.count)])))
        }
    }

    /// Runs the merge over fully known lanes; returns the slices' record times in the order they were aggregated.
    static func merge(
        _ lanes: [[ParsedBatch]], slack: Span, into aggregator: inout Aggregator, closed: inout [WindowReport]
    ) -> [Int64] {
        var merge = EventTimeMerge(slack: slack)
        var pending = lanes.map { $0[...] }
        for lane in lanes.indices { merge.addLane(lane) }
        var order: [Int64] = []
        while true {
            switch merge.next() {
            case .ingest(let slice):
                order += slice.records.map { slice.batch.buffer.records[$0].time.nanoseconds }
                aggregator.ingest(slice.batch, records: slice.records, closed: &closed)
            case .need(let lane):
                if let next = pending[lane].popFirst() {
                    merge.push(next, lane: lane)
                } else {
                    merge.removeLane(lane)
                }
            case .idle:
                aggregator.closeAll(into: &closed)
                return order
            }
        }
    }

    static func aggregator(lateness: Span) -> Aggregator {
        Aggregator(
            schema: .default, windows: [WindowSpec(size: .seconds(10), allowedLateness: lateness)],
            telemetry: quietTelemetry())
    }

    /// Records per window start, counted from the writers' own times.
    static func expectedCounts(_ writers: [(records: Int, every: Double, skew: Double)]) -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for w in writers {
            for i in 0..<w.records {
                let t = (start + Span(nanoseconds: Int64((w.skew + Double(i) * w.every) * 1e9))).nanoseconds
                counts[t - t % 10_000_000_000, default: 0] += 1
            }
        }
        return counts
    }

    /// Four writers whose clocks differ by up to 2.1 s, batches of 64 lines (a batch spans 64 s of one writer,
    /// far beyond the 5 s lateness): merged, every record lands in its window; read one file after the other, as
    /// before the merge, most of the later files' records are late.
    @Test func fourWritersWithSkewedClocksLoseNothing() {
        let writers = [(0, 0.0), (1, 2.1), (2, -1.3), (3, 0.7)].map { (index: $0.0, skew: $0.1) }
        let lines = writers.map { Self.writer("w\($0.index)", records: 600, every: 1, skew: $0.skew) }
        var merged = Self.aggregator(lateness: .seconds(5))
        var closed: [WindowReport] = []
        _ = Self.merge(
            lines.enumerated().map { Self.parsed($0.element, size: 64, parser: $0.offset + 1) }, slack: .seconds(2),
            into: &merged, closed: &closed)
        let expected = Self.expectedCounts(writers.map { (600, 1, $0.skew) })
        #expect(closed.reduce(0) { $0 + $1.late } == 0)
        #expect(Dictionary(uniqueKeysWithValues: closed.map { ($0.start.nanoseconds, $0.records) }) == expected)
        // Each window's mean of x is the mean over the four writers' records in it, computed here exactly.
        for report in closed {
            var sum = 0.0
            var n = 0
            for w in writers {
                for i in 0..<600 {
                    let t = (Self.start + Span(nanoseconds: Int64((w.skew + Double(i)) * 1e9))).nanoseconds
                    if t - t % 10_000_000_000 == report.start.nanoseconds {
                        sum += Double(i)
                        n += 1
                    }
                }
            }
            let mean = report.features.first { $0.feature == "x" }?.mean ?? .nan
            #expect(abs(mean - sum / Double(n)) < 1e-9, "window \(report.start.rfc3339)")
        }

        var sequential = Self.aggregator(lateness: .seconds(5))
        var closedSequential: [WindowReport] = []
        for (i, file) in lines.enumerated() {
            for batch in Self.parsed(file, size: 64, parser: i + 1) {
                sequential.ingest(batch, closed: &closedSequential)
            }
        }
        sequential.closeAll(into: &closedSequential)
        #expect(closedSequential.reduce(0) { $0 + $1.late } > 1500, "read one after the other, 3 files are late")
    }

    /// With no slack, the merge hands records over in event-time order across lanes (each lane in order).
    @Test func withoutSlackTheRecordsComeInEventTimeOrder() {
        let lanes = [(2.0, 0.3), (3.0, 0.0), (0.7, 5.0)].enumerated().map { i, w in
            Self.parsed(Self.writer("w\(i)", records: 300, every: w.0, skew: w.1), size: 37, parser: i + 1)
        }
        var a = Self.aggregator(lateness: .seconds(0))
        var closed: [WindowReport] = []
        let order = Self.merge(lanes, slack: .seconds(0), into: &a, closed: &closed)
        #expect(order.count == 900)
        #expect(order == order.sorted())
        #expect(closed.reduce(0) { $0 + $1.late } == 0)
    }

    /// Every slice ends before the first record beyond the next-oldest lane's head plus the slack.
    @Test func aSliceGoesNoFurtherThanTheSlackPastTheOtherLanes() {
        var merge = EventTimeMerge(slack: .seconds(3))
        let a = Self.parsed(Self.writer("a", records: 100, every: 1, skew: 0), size: 100, parser: 1)
        let b = Self.parsed(Self.writer("b", records: 100, every: 1, skew: 10), size: 100, parser: 2)
        merge.addLane(0)
        merge.addLane(1)
        merge.push(a[0], lane: 0)
        merge.push(b[0], lane: 1)
        guard case .ingest(let first) = merge.next() else {
            Issue.record("expected a slice")
            return
        }
        // Lane b's next record is at 10 s: lane a goes through 13 s (records 0…13).
        #expect(first.lane == 0 && first.records == 0..<14)
        guard case .ingest(let second) = merge.next() else {
            Issue.record("expected a slice")
            return
        }
        #expect(second.lane == 1 && second.records == 0..<8, "b from 10 s through a's next (14 s) + 3 s")
    }

    /// An input not opened yet bounds the slices as a lane would, and the oldest head says when to open it.
    @Test func anInputNotYetOpenedBoundsTheSlices() {
        var merge = EventTimeMerge(slack: .seconds(2))
        merge.addLane(0)
        #expect(merge.oldestHead == nil, "the lane holds the merge until its first batch")
        merge.push(Self.parsed(Self.writer("a", records: 100, every: 1, skew: 0), size: 100, parser: 1)[0], lane: 0)
        #expect(merge.oldestHead == Self.start.nanoseconds)
        guard case .ingest(let slice) = merge.next(notOpened: (Self.start + .seconds(30)).nanoseconds) else {
            Issue.record("expected a slice")
            return
        }
        #expect(slice.records == 0..<33, "through 30 s + 2 s")
        #expect(merge.oldestHead == (Self.start + .seconds(33)).nanoseconds)
    }

    /// A lane that may still get batches holds the merge; one marked dry does not.
    @Test func aWaitingLaneHoldsTheMergeAndADryOneDoesNot() {
        var merge = EventTimeMerge(slack: .seconds(1))
        merge.addLane(7)
        merge.addLane(3)
        merge.push(Self.parsed(Self.writer("a", records: 5, every: 1, skew: 0), size: 5, parser: 1)[0], lane: 7)
        guard case .need(3) = merge.next() else {
            Issue.record("lane 3 has nothing queued and may get more: the merge asks for it")
            return
        }
        merge.markDry(3)
        guard case .ingest(let slice) = merge.next() else {
            Issue.record("a dry lane holds nothing")
            return
        }
        #expect(slice.lane == 7 && slice.records == 0..<5)
        guard case .need(7) = merge.next() else {
            Issue.record("lane 7 is empty now and may get more")
            return
        }
        merge.markDry(7)
        guard case .idle = merge.next() else {
            Issue.record("every lane dry")
            return
        }
        merge.wakeAll()
        guard case .need(3) = merge.next() else {
            Issue.record("after a wake, lanes are asked again, lowest first")
            return
        }
    }

    /// A batch of rejected lines only is taken at once, and its rejections are counted.
    @Test func aBatchOfRejectedLinesOnlyIsTakenAndCounted() {
        var parser = BatchParser(index: 2, schema: .default)
        let good = Self.parsed(Self.writer("a", records: 20, every: 1, skew: 0), size: 10, parser: 1)
        let bad = parser.parse(lineBatch(["not json", "{}", "[1]"]))
        var a = Self.aggregator(lateness: .seconds(5))
        var closed: [WindowReport] = []
        _ = Self.merge([good, [bad]], slack: .seconds(2), into: &a, closed: &closed)
        #expect(a.rejected == 3)
        #expect(closed.reduce(0) { $0 + $1.rejected } == 3)
        #expect(closed.reduce(0) { $0 + $1.records } == 20)
    }
}
