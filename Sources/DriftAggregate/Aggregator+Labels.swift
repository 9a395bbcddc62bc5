import DriftCore
import DriftRecords
import DriftStats

/// Labels that arrive later (DESIGN §12): predictions with a request id wait in the ``LabelJoin`` for their label,
/// and each (model, window) gets a performance report once its labels are final.
extension Aggregator {
    /// Joins labels from now on (`labels:` configured): `maxDelay` after its prediction a label is given up.
    public mutating func joinLabels(maxDelay: Span, maxPending: Int) {
        join = LabelJoin(windows: specs, maxDelay: maxDelay, maxPending: maxPending)
    }

    /// A batch of a `labels:` input: each record's actual goes to the join.
    mutating func ingestLabels(_ batch: ParsedBatch, records range: Range<Int>) {
        guard join != nil else { return }
        if range.lowerBound == 0 {
            for rejection in batch.rejections {
                LabelRejected(source: batch.source, line: rejection.line, reason: .record(rejection.reason)).emit(
                    to: telemetry)
            }
        }
        batch.buffer.withView { view in
            for index in range {
                let record = batch.buffer.records[index]
                guard let id = record.requestID else {
                    LabelRejected(source: batch.source, line: nil, reason: .missing("request_id")).emit(to: telemetry)
                    continue
                }
                guard
                    let actual = ActualOutcome(
                        label: record.actualLabel.map(view.bytes), value: record.actualValue,
                        classes: performance.classes)
                else {
                    LabelRejected(source: batch.source, line: nil, reason: .missing("actual")).emit(to: telemetry)
                    continue
                }
                join!.addLabel(
                    LabelJoin.Key(view.bytes(id)), time: record.time.nanoseconds, actual: actual)
            }
        }
    }

    /// A prediction with a request id, placed in the join (its windows count it).
    mutating func awaitLabel(_ record: Record, model: Int32, in view: RecordBuffer.View) {
        guard let id = record.requestID else { return }
        let joinModel = models[Int(model)]!.joinModel ?? join!.modelID(models[Int(model)]!.model)
        models[Int(model)]!.joinModel = joinModel
        join!.addPrediction(
            LabelJoin.Key(view.bytes(id)), modelID: joinModel, time: record.time.nanoseconds,
            predicted: PredictedOutcome(
                label: record.predictedLabel.map(view.bytes), value: record.predictedValue,
                classes: performance.classes))
    }

    /// The windows whose labels became final, as performance reports. `all`: every one (the end of a replay).
    mutating func emitPerformance(all: Bool = false, to sink: (WindowReport) -> Void) {
        guard join != nil else { return }
        let finals = all ? join!.finishAll() : join!.finals()
        if join!.counts != reportedJoinCounts || !finals.isEmpty {
            LabelsJoined(before: reportedJoinCounts, after: join!.counts, pending: join!.pendingCount).emit(
                to: telemetry)
            reportedJoinCounts = join!.counts
        }
        for f in finals {
            let spec = specs[f.spec]
            let (model, version) = ModelKey.split(f.model)
            var report = WindowReport(
                model: model, window: spec.label, start: EventTime(nanoseconds: f.start),
                end: EventTime(nanoseconds: f.start + spec.size.nanoseconds), records: f.window.predictions,
                late: 0, rejected: 0, features: [])
            report.modelVersion = version
            report.performance = f.window.performance
            report.performanceTask = performance.task
            report.joined = .init(labeled: f.window.labeled, unmatched: f.window.unmatched)
            sink(report)
        }
    }
}
