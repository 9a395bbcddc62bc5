import DriftCore
import DriftStats

/// The drift stage (DESIGN §1, §5): a closed window's features summarized, and each compared with the model's
/// reference — its measures, its counts on the reference's bins, its values the reference never saw. Pure: a
/// ``ClosedWindow`` in, a ``WindowReport`` out.
public struct DriftStage: Sendable {
    public let reference: ReferenceProfile?
    /// Reports carry their features' accumulated state (``WindowReport/state``), for mergeable profiles.
    public var keepsFeatures = false

    public init(reference: ReferenceProfile?) {
        self.reference = reference
    }

    public func report(_ window: ClosedWindow) -> WindowReport {
        let (model, version) = ModelKey.split(window.model)
        let features = reference?.models[model]?.features
        let summaries = window.features.map { f in
            var summary = FeatureSummary(
                feature: f.name, type: f.type, accumulator: f.accumulator, records: window.records)
            if let featureReference = features?[f.name] {
                summary.drift = DriftEvaluator.measure(
                    f.accumulator, records: window.records, reference: featureReference)
                summary.histogram = f.accumulator.bins
                if f.type == .categorical { summary.unseen = f.accumulator.unseen }
            }
            return summary
        }
        var report = WindowReport(
            model: model, window: window.window, start: window.start, end: window.end, records: window.records,
            late: window.late, rejected: window.rejected, features: summaries)
        report.performance = window.performance
        if let calibration = reference?.models[model]?.calibration, let scores = window.scores {
            report.estimated = EstimatedPerformance.estimate(scores, calibration: calibration)
            report.estimatedThresholds = reference?.models[model]?.estimatedThresholds ?? [:]
        }
        report.modelVersion = version
        if keepsFeatures { report.state = window.features }
        if let features {
            report.newFeatures = window.features.filter { $0.accumulator.values > 0 && features[$0.name] == nil }
                .map(\.name)
        }
        return report
    }
}
