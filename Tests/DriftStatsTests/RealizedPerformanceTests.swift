import DriftStats
import DriftTestSupport
import Testing

/// Realized performance against exact computations on the same records: ROC AUC by counting every
/// positive–negative pair, the confusion matrix by counting.
@Suite struct RealizedPerformanceTests {

    /// Scores with ties (rounded to 2 digits) and labels drawn so that higher scores are more often positive.
    static func sample(_ n: Int, seed: UInt64) -> [(score: Double, positive: Bool)] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in
            let s = (rng.unit() * 100).rounded() / 100
            return (s, rng.unit() < s)
        }
    }

    @Test(arguments: [(50, 1), (1_000, 2), (4_096, 3)] as [(Int, UInt64)])
    func exactAUCEqualsThePairwiseCount(n: Int, seed: UInt64) {
        let pairs = Self.sample(n, seed: seed)
        var roc = ROCCurve()
        for p in pairs { roc.add(score: p.score, positive: p.positive) }
        #expect(roc.binned == nil)
        let auc = try! #require(roc.auc)
        #expect(abs(auc - exactROCAUC(pairs)) < 1e-12)
    }

    @Test func beyondTheExactLimitBinsKeepTheAUCWithinTheirTies() {
        // Scores of 3 digits: two share a 1/1024 bin only when they are close, and the error stays tiny.
        var rng = SeededGenerator(seed: 5)
        let pairs = (0..<20_000).map { _ -> (score: Double, positive: Bool) in
            let s = (rng.unit() * 1000).rounded() / 1000
            return (s, rng.unit() < s)
        }
        var roc = ROCCurve()
        for p in pairs { roc.add(score: p.score, positive: p.positive) }
        #expect(roc.binned != nil)
        #expect(roc.count == pairs.count)
        let exact = exactROCAUC(pairs)
        #expect(abs(roc.auc! - exact) < 0.002, "binned \(roc.auc!) exact \(exact)")
    }

    @Test func mergingEqualsAddingEverythingToOne() {
        let pairs = Self.sample(3_000, seed: 9)
        var whole = ROCCurve()
        var a = ROCCurve()
        var b = ROCCurve()
        for (i, p) in pairs.enumerated() {
            whole.add(score: p.score, positive: p.positive)
            if i % 3 == 0 {
                a.add(score: p.score, positive: p.positive)
            } else {
                b.add(score: p.score, positive: p.positive)
            }
        }
        a.merge(b)
        #expect(abs(a.auc! - whole.auc!) < 1e-12)
        #expect(a.count == whole.count)
    }

    @Test func oneClassHasNoAUC() {
        var roc = ROCCurve()
        roc.add(score: 0.3, positive: true)
        roc.add(score: 0.9, positive: true)
        #expect(roc.auc == nil)
    }

    @Test func theConfusionMatrixAndItsMeasuresEqualCounting() {
        let pairs = Self.sample(500, seed: 11)
        var p = PerformanceAccumulator()
        var (tp, fp, tn, fn) = (0, 0, 0, 0)
        for (score, positive) in pairs {
            let predicted = score >= 0.5
            p.add(
                PredictedOutcome(label: nil as [UInt8]?, value: score, classes: PositiveClass()),
                ActualOutcome(label: nil as [UInt8]?, value: positive ? 1 : 0, classes: PositiveClass())!)
            switch (predicted, positive) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        #expect(p.task(given: nil) == .binary)
        #expect(p.binaryAccuracy == Double(tp + tn) / 500)
        #expect(p.precision == Double(tp) / Double(tp + fp))
        #expect(p.recall == Double(tp) / Double(tp + fn))
        #expect(abs(p.f1! - 2 * Double(tp) / Double(2 * tp + fp + fn)) < 1e-15)
        #expect(abs(p.rocAUC! - exactROCAUC(pairs)) < 1e-12)
    }

    @Test func theTaskIsInferredFromTheActuals() {
        let none = PositiveClass()
        func actual(_ v: Double) -> ActualOutcome { ActualOutcome(label: nil as [UInt8]?, value: v, classes: none)! }
        func actual(_ s: String) -> ActualOutcome { ActualOutcome(label: Array(s.utf8), value: nil, classes: none)! }
        // Integers 0 and 1 against scores: a binary classifier (not a regression).
        var binary = PerformanceAccumulator()
        binary.add(PredictedOutcome(value: 0.8, positive: true), actual(1))
        binary.add(PredictedOutcome(value: 0.3, positive: false), actual(0))
        #expect(binary.task(given: nil) == .binary)
        #expect(binary.task(given: .regression) == .regression)
        // A third value makes it a regression.
        binary.add(PredictedOutcome(value: 2.5), actual(2.0))
        #expect(binary.task(given: nil) == .regression)
        // Labels of three classes: a classifier's accuracy.
        var classes = PerformanceAccumulator()
        let cat = PredictedOutcome(label: Array("cat".utf8), value: nil, classes: none)
        classes.add(cat, actual("cat"))
        classes.add(cat, actual("dog"))
        #expect(classes.task(given: nil) == .classification)
        #expect(classes.accuracy == 0.5)
    }

    @Test func aConfiguredPositiveLabelMakesEveryOtherLabelNegative() {
        let fraud = PositiveClass(label: "fraud")
        #expect(fraud.of(Array("fraud".utf8)) == true)
        #expect(fraud.of(Array("legit".utf8)) == false)
        #expect(PositiveClass().of(Array("legit".utf8)) == nil)
        #expect(PositiveClass().of(Array("True".utf8)) == true)
        #expect(PositiveClass(label: "1").of(1.0) == true)
        #expect(PositiveClass(label: "1").of(0.0) == false)
    }
}
