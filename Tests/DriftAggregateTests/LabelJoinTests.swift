import DriftAggregate
import DriftCore
import DriftStats
import DriftTestSupport
import DriftWindows
import Foundation
import Testing

/// The label join as a state machine: predictions and labels fed in event-time order, windows final once the
/// join's time passes their end by `max_delay` plus the lateness; checked against counting done here.
@Suite struct LabelJoinTests {
    static let window = WindowSpec(size: .seconds(10), allowedLateness: .seconds(5))
    static let s: Int64 = 1_000_000_000

    func join(maxPending: Int = 1_000) -> LabelJoin {
        LabelJoin(windows: [Self.window], maxDelay: .seconds(20), maxPending: maxPending)
    }

    func actual(_ positive: Bool) -> ActualOutcome {
        ActualOutcome(label: nil as [UInt8]?, value: positive ? 1 : 0, classes: PositiveClass())!
    }

    @Test func labelsJoinTheirPredictionsAndWindowsWaitForTheirLabels() throws {
        var j = join()
        // Window [0, 10): four predictions; three get labels 12 s later, one never does.
        for i in 0..<4 {
            j.addPrediction(
                .init("r\(i)"), model: "m", time: Int64(i) * Self.s,
                predicted: PredictedOutcome(value: 0.9, positive: true))
        }
        for i in 0..<3 { j.addLabel(.init("r\(i)"), time: Int64(12 + i) * Self.s, actual: actual(i != 1)) }
        #expect(j.finals().isEmpty, "at 14 s the window's labels may still come (until 10 + 20 + 5 s)")
        j.addLabel(.init("other"), time: 35 * Self.s, actual: actual(true))
        let finals = j.finals()
        #expect(finals.count == 1)
        let first = try #require(finals.first)
        let w = first.window
        #expect(first.model == "m" && first.start == 0)
        #expect(w.predictions == 4 && w.labeled == 3 && w.unmatched == 1)
        #expect(w.performance.truePositives == 2 && w.performance.falsePositives == 1)
        #expect(j.counts.joined == 3)
        #expect(j.pendingCount == 0, "the unlabeled prediction was given up")
        #expect(j.orphanCount == 1, "the label of an unknown request waits for its prediction")
    }

    @Test func aLabelBeforeItsPredictionStillJoins() throws {
        var j = join()
        j.addLabel(.init("early"), time: 1 * Self.s, actual: actual(true))
        j.addPrediction(
            .init("early"), model: "m", time: 2 * Self.s, predicted: PredictedOutcome(value: 0.2, positive: false))
        let w = try #require(j.finishAll().first).window
        #expect(w.labeled == 1 && w.performance.falseNegatives == 1)
        #expect(j.counts.labelsUnmatched == 0)
    }

    @Test func aLabelAfterItsWaitIsUnmatchedAndDuplicatesCountOnce() throws {
        var j = join()
        j.addPrediction(.init("a"), model: "m", time: 0, predicted: PredictedOutcome(value: 0.9, positive: true))
        j.addPrediction(
            .init("b"), model: "m", time: 1 * Self.s, predicted: PredictedOutcome(value: 0.9, positive: true))
        j.addLabel(.init("b"), time: 2 * Self.s, actual: actual(true))
        j.addLabel(.init("b"), time: 3 * Self.s, actual: actual(false))  // a second label for b
        j.addLabel(.init("x"), time: 40 * Self.s, actual: actual(true))  // moves time past a's wait
        let finals = j.finals()
        j.addLabel(.init("a"), time: 41 * Self.s, actual: actual(true))  // too late: a was given up
        #expect(finals.count == 1)
        let first = try #require(finals.first)
        #expect(first.window.labeled == 1 && first.window.unmatched == 1)
        #expect(first.window.performance.truePositives == 1, "the first label of b counts, not the second")
        _ = j.finishAll()
        #expect(j.counts.labelsUnmatched == 2, "x's, and a's late one")
        #expect(j.counts.labelsDuplicate == 1, "b's second label, though b was joined and no longer pending")
    }

    /// A request joined is remembered as long as a label for it could come: a second label is a duplicate, and a
    /// second prediction with its id is not a new prediction that would wait and be given up.
    @Test func aRequestAlreadyJoinedTakesNoSecondLabelOrPrediction() throws {
        var j = join()
        j.addPrediction(.init("a"), model: "m", time: 0, predicted: PredictedOutcome(value: 0.9, positive: true))
        j.addLabel(.init("a"), time: 1 * Self.s, actual: actual(true))
        j.addPrediction(
            .init("a"), model: "m", time: 2 * Self.s, predicted: PredictedOutcome(value: 0.1, positive: false))
        j.addLabel(.init("a"), time: 3 * Self.s, actual: actual(false))
        // A label first, then its prediction, then the label again.
        j.addLabel(.init("b"), time: 4 * Self.s, actual: actual(false))
        j.addPrediction(
            .init("b"), model: "m", time: 5 * Self.s, predicted: PredictedOutcome(value: 0.2, positive: false))
        j.addLabel(.init("b"), time: 6 * Self.s, actual: actual(true))
        #expect(j.pendingCount == 0 && j.orphanCount == 0)
        let w = try #require(j.finishAll().first).window
        #expect(w.predictions == 2 && w.labeled == 2 && w.unmatched == 0)
        #expect(w.performance.truePositives == 1 && w.performance.trueNegatives == 1)
        #expect(j.counts.labelsDuplicate == 2 && j.counts.labelsUnmatched == 0 && j.counts.joined == 2)
    }

    /// Past its wait a joined request is forgotten (memory stays bounded): a label that late is unmatched, as it
    /// would be for a request never seen.
    @Test func aJoinedRequestIsForgottenAfterItsWait() throws {
        var j = join()
        j.addPrediction(.init("a"), model: "m", time: 0, predicted: PredictedOutcome(value: 0.9, positive: true))
        j.addLabel(.init("a"), time: 1 * Self.s, actual: actual(true))
        j.addLabel(.init("x"), time: 40 * Self.s, actual: actual(true))  // past a's wait (20 + 5 s)
        _ = j.finals()
        j.addLabel(.init("a"), time: 41 * Self.s, actual: actual(true))
        _ = j.finishAll()
        #expect(j.counts.labelsDuplicate == 0 && j.counts.labelsUnmatched == 2)
    }

    @Test func aPredictionForAWindowAlreadyFinalIsNotCountedInIt() {
        var j = join()
        j.addPrediction(.init("a"), model: "m", time: 0, predicted: PredictedOutcome(value: 0.9, positive: true))
        j.addLabel(.init("z"), time: 100 * Self.s, actual: actual(true))
        #expect(j.finals().map(\.start) == [0])
        j.addPrediction(
            .init("late"), model: "m", time: 1 * Self.s, predicted: PredictedOutcome(value: 0.9, positive: true))
        #expect(j.finishAll().isEmpty, "window [0, 10) was written; it is not written again")
    }

    /// The buffer gives up in arrival order, which a merge of several writers keeps only roughly in event time:
    /// a window whose prediction waits behind a later one is not final until that prediction is given up too
    /// (a replay of two writers found a window with one prediction neither labeled nor unmatched).
    @Test func aWindowWaitsForPredictionsThatArrivedOutOfOrder() {
        var j = join()
        j.addPrediction(
            .init("later"), model: "m", time: 12 * Self.s, predicted: PredictedOutcome(value: 0.9, positive: true))
        j.addPrediction(
            .init("earlier"), model: "m", time: 5 * Self.s, predicted: PredictedOutcome(value: 0.9, positive: true))
        j.addLabel(.init("x"), time: 35 * Self.s, actual: actual(true))
        #expect(j.finals().isEmpty, "[0, 10) has ended by the join's time, but its prediction still waits")
        j.addLabel(.init("y"), time: 38 * Self.s, actual: actual(true))
        let finals = j.finals()
        #expect(finals.map(\.start) == [0])
        #expect(finals.first?.window.unmatched == 1 && finals.first?.window.predictions == 1)
    }

    @Test func aFullBufferGivesUpTheOldestAndCountsIt() throws {
        var j = join(maxPending: 3)
        for i in 0..<5 {
            j.addPrediction(
                .init("r\(i)"), model: "m", time: Int64(i) * Self.s,
                predicted: PredictedOutcome(value: 0.5, positive: true))
        }
        #expect(j.pendingCount == 3)
        #expect(j.counts.overflow == 2)
        for i in 0..<5 { j.addLabel(.init("r\(i)"), time: 6 * Self.s, actual: actual(true)) }
        let w = try #require(j.finishAll().first).window
        #expect(w.predictions == 5 && w.labeled == 3 && w.unmatched == 2)
    }

    /// A checkpoint taken at any point and restored into a new join continues exactly as the join would have.
    @Test func aRestoredJoinContinuesExactlyAsTheOriginal() throws {
        var rng = SeededGenerator(seed: 21)
        var events: [(time: Int64, label: Bool, id: String, positive: Bool, score: Double)] = []
        for i in 0..<2_000 {
            let t = Int64(i) * Self.s / 10
            let score = rng.unit()
            events.append((t, false, "r\(i)", score >= 0.5, score))
            if rng.unit() < 0.9 {
                events.append((t + Int64(rng.unit() * 15) * Self.s, true, "r\(i)", rng.unit() < score, score))
                // Some requests are labeled twice: the second label is a duplicate, before or after a restore.
                if rng.unit() < 0.05 {
                    events.append((t + Int64(rng.unit() * 15) * Self.s, true, "r\(i)", rng.unit() < score, score))
                }
            }
        }
        events.sort { $0.time < $1.time }
        func feed(_ j: inout LabelJoin, _ e: (time: Int64, label: Bool, id: String, positive: Bool, score: Double)) {
            if e.label {
                j.addLabel(.init(e.id), time: e.time, actual: actual(e.positive))
            } else {
                j.addPrediction(
                    .init(e.id), model: "m", time: e.time,
                    predicted: PredictedOutcome(value: e.score, positive: e.positive))
            }
        }
        func summary(_ f: [LabelJoin.Final]) -> [String] {
            f.map {
                "\($0.start) \($0.window.predictions) \($0.window.labeled) \($0.window.unmatched) \($0.window.performance.f1 ?? -1) \($0.window.performance.rocAUC ?? -1)"
            }
        }
        var whole = join()
        var expected: [LabelJoin.Final] = []
        for e in events {
            feed(&whole, e)
            expected += whole.finals()
        }
        expected += whole.finishAll()
        for cut in [1, events.count / 3, events.count - 1] {
            var first = join()
            var got: [LabelJoin.Final] = []
            for e in events[..<cut] {
                feed(&first, e)
                got += first.finals()
            }
            let saved = try JSONEncoder().encode(first.state)
            var second = join()
            #expect(second.restore(try JSONDecoder().decode(LabelJoin.State.self, from: saved)))
            for e in events[cut...] {
                feed(&second, e)
                got += second.finals()
            }
            got += second.finishAll()
            #expect(summary(got) == summary(expected), "cut at \(cut)")
            #expect(second.counts == whole.counts)
        }
        #expect(expected.count == 20, "200 s of predictions: twenty 10 s windows")
        #expect(whole.counts.labelsDuplicate > 50, "the second labels are counted as duplicates")
    }
}
