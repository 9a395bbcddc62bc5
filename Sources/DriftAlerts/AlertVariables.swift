import DriftStats

/// The names a rule's expression can use (docs/alerts.md), and their values for one window and feature.
public enum AlertVariables {
    /// Measures of a feature in a window.
    public static let featureNames: Set<String> = [
        "count", "missing", "invalid", "missing_rate", "invalid_rate", "non_finite", "mean", "std", "min", "max",
        "p01", "p05", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "distinct", "unseen", "unseen_rate", "psi",
        "js", "ks", "wasserstein", "wasserstein_norm", "chi2_p", "out_of_range", "missing_rate_change",
        "invalid_rate_change", "type_changed",
        "threshold_psi", "threshold_js", "threshold_ks", "threshold_wasserstein", "threshold_wasserstein_norm",
    ]
    /// Measures of the window as a whole (a rule using only these is evaluated once per model and window).
    public static let windowNames: Set<String> = [
        "records", "late", "rejected", "accuracy", "mae", "rmse", "labeled", "new_features",
        "estimated_accuracy", "estimated_precision", "estimated_recall", "estimated_f1", "estimated_roc_auc",
        "threshold_estimated_accuracy", "threshold_estimated_precision", "threshold_estimated_recall",
        "threshold_estimated_f1", "threshold_estimated_roc_auc", "realized_accuracy", "realized_precision",
        "realized_recall", "realized_f1", "realized_roc_auc", "realized_mae", "realized_rmse", "unmatched",
    ]
    public static let all = featureNames.union(windowNames)

    /// The value of `name` for `feature` (nil for a window-level evaluation) in `report`; `thresholds` are the
    /// reference's adaptive thresholds for the feature.
    public static func value(
        _ name: String, report r: WindowReport, feature f: FeatureSummary?,
        thresholds: [String: Double]
    ) -> Double? {
        switch name {
        case "records": return Double(r.records)
        case "late": return Double(r.late)
        case "rejected": return Double(r.rejected)
        case "accuracy": return r.performance.accuracy
        case "mae": return r.performance.meanAbsoluteError
        case "rmse": return r.performance.rootMeanSquaredError
        case "labeled": return Double(r.performance.classified + r.performance.regressed)
        case "new_features": return r.newFeatures.map { Double($0.count) }
        case "unmatched": return r.joined.map { Double($0.unmatched) }
        case _ where name.hasPrefix("realized_"): return realized(String(name.dropFirst("realized_".count)), r)
        case _ where name.hasPrefix("estimated_"):
            return r.estimated?.measures.first { $0.name == name.dropFirst("estimated_".count) }?.value
        case _ where name.hasPrefix("threshold_estimated_"):
            return r.estimatedThresholds[String(name.dropFirst("threshold_estimated_".count))]
        default: break
        }
        guard let f else { return nil }
        let records = Double(r.records)
        switch name {
        case "count": return Double(f.count)
        case "missing": return Double(f.missing)
        case "invalid": return Double(f.invalid)
        case "missing_rate": return records > 0 ? Double(f.missing) / records : nil
        case "invalid_rate": return records > 0 ? Double(f.invalid) / records : nil
        case "non_finite": return Double(f.nonFinite)
        case "mean": return f.mean
        case "std": return f.std
        case "min": return f.min
        case "max": return f.max
        case "distinct": return f.distinct.map(Double.init)
        case "unseen": return f.unseen.map(Double.init)
        case "unseen_rate": return f.unseen.flatMap { f.count > 0 ? Double($0) / Double(f.count) : nil }
        case "psi": return f.drift?.psi
        case "js": return f.drift?.js
        case "ks": return f.drift?.ks
        case "wasserstein": return f.drift?.wasserstein
        case "wasserstein_norm": return f.drift?.wassersteinNorm
        case "chi2_p": return f.drift?.chi2P
        case "out_of_range": return f.drift?.outOfRange
        case "missing_rate_change": return f.drift?.missingRateChange
        case "invalid_rate_change": return f.drift?.invalidRateChange
        case "type_changed": return f.typeChanged ? 1 : 0
        default: break
        }
        if name.hasPrefix("threshold_") { return thresholds[String(name.dropFirst("threshold_".count))] }
        if let i = FeatureSummary.quantileNames.firstIndex(of: name), i < f.quantiles.count { return f.quantiles[i] }
        return nil
    }

    /// Realized performance of the task, from the actuals in the records or joined later (DESIGN §12).
    static func realized(_ measure: String, _ r: WindowReport) -> Double? {
        let p = r.performance
        let binary = p.task(given: r.performanceTask) == .binary
        switch measure {
        case "accuracy": return binary ? p.binaryAccuracy : p.accuracy
        case "precision": return binary ? p.precision : nil
        case "recall": return binary ? p.recall : nil
        case "f1": return binary ? p.f1 : nil
        case "roc_auc": return binary ? p.rocAUC : nil
        case "mae": return p.meanAbsoluteError
        case "rmse": return p.rootMeanSquaredError
        default: return nil
        }
    }
}
