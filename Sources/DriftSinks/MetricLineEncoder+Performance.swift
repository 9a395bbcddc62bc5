import DriftCore
import DriftStats

/// Realized performance (DESIGN §12): on a window line where the records carry the actual, and as a
/// `kind: performance` line once the labels joined later are final.
extension MetricLineEncoder {
    static func performanceLine(_ r: WindowReport, header: Header, into w: inout JSONWriter) {
        w.beginObject()
        w.field("kind", "performance")
        w.members(header.members)
        w.field("predictions", r.records)
        w.field("labeled", r.joined?.labeled ?? 0)
        w.field("unmatched", r.joined?.unmatched ?? 0)
        if let task = r.performance.task(given: r.performanceTask) { w.field("task", task.rawValue) }
        realized(&w, r.performance, task: r.performanceTask, counted: false)
        w.endObject()
        w.newline()
    }

    /// The measures of the task (given, or inferred from the actuals): a binary classifier's accuracy, precision,
    /// recall, F1 and ROC AUC; a regression's MAE and RMSE; another classifier's accuracy. `counted`: with the
    /// records they are over (`labeled`, `labeled_regression`), as window lines carry them.
    static func realized(
        _ w: inout JSONWriter, _ p: PerformanceAccumulator, task given: PerformanceTask?, counted: Bool = true
    ) {
        switch p.task(given: given) {
        case .binary:
            if counted { w.field("labeled", p.binary) }
            w.field("accuracy", p.binaryAccuracy)
            w.field("precision", p.precision)
            w.field("recall", p.recall)
            w.field("f1", p.f1)
            w.field("roc_auc", p.rocAUC)
        case .regression where given != nil:
            if counted { w.field("labeled_regression", p.regressed) }
            w.field("mae", p.meanAbsoluteError)
            w.field("rmse", p.rootMeanSquaredError)
        case .regression, .classification:
            // Inferred: what the records allow, as before the task was inferred (a log may mix both).
            if p.classified > 0 {
                if counted { w.field("labeled", p.classified) }
                w.field("accuracy", p.accuracy)
            }
            if p.regressed > 0 {
                if counted { w.field("labeled_regression", p.regressed) }
                w.field("mae", p.meanAbsoluteError)
                w.field("rmse", p.rootMeanSquaredError)
            }
        case nil:
            break
        }
    }
}
