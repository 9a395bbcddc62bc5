import DriftAlerts

/// The shipped default rule set, `Config/rules/default.yaml`, built in so that `driftd demo` needs no files
/// (a test keeps the two identical). Its drift thresholds are ``DefaultThresholds``', which the report draws.
public enum DefaultRules {
    private typealias T = DefaultThresholds

    public static let yaml = #"""
        # driftd's default rule set: the field's conventional thresholds (docs/statistics.md), plus data quality.
        # Include it with `rule_files: [rules/default.yaml]` (paths are relative to the config file).
        # Measures and templates: docs/alerts.md.
        rules:
          # Population stability index on the reference's bins: ≥ 0.1 moderate, ≥ 0.2 significant shift.
          - alert: FeatureDriftWarning
            expr: "psi >= \#(T.psiWarning) and psi < \#(T.psiCritical)"
            for: 2
            severity: warning
            annotations:
              summary: "{{ $feature }} of {{ $model }} is shifting (PSI {{ $value }} over {{ $window }})"
          - alert: FeatureDrift
            expr: "psi >= \#(T.psiCritical)"
            for: 2
            keep_firing_for: 1
            severity: critical
            annotations:
              summary: "{{ $feature }} of {{ $model }} drifted (PSI {{ $value }} ≥ {{ $threshold }} over {{ $window }})"

          # Distances on the same bins and distributions.
          - alert: FeatureDistanceHigh
            expr: "js >= \#(T.js) or wasserstein_norm >= \#(T.wassersteinNorm)"
            for: 2
            severity: warning
            annotations:
              summary: "{{ $feature }} of {{ $model }} moved away from the reference (JS {{ $value }})"

          # Small windows: the two-sample chi-square test, only where it is meaningful (under \#(T.chi2MaxRecords) records).
          - alert: CategoricalShift
            expr: "chi2_p < \#(T.chi2P) and count < \#(T.chi2MaxRecords)"
            for: 3
            severity: warning
            annotations:
              summary: "{{ $feature }} of {{ $model }}: categories differ from the reference (p {{ $value }})"

          # Beyond what the reference's own windows did (adaptive thresholds made by driftd baseline).
          - alert: FeatureDriftBeyondReference
            expr: "psi > threshold_psi and psi >= 0.05"
            for: 3
            severity: warning
            annotations:
              summary: "{{ $feature }} of {{ $model }}: PSI {{ $value }} above anything the reference showed ({{ $threshold }})"

          # Data quality.
          - alert: MissingRateUp
            expr: "missing_rate_change > 0.05"
            for: 2
            severity: warning
            annotations:
              summary: "{{ $feature }} of {{ $model }} is missing {{ $value }} more often than in the reference"
          - alert: UnseenCategories
            expr: "unseen_rate > 0.01"
            for: 2
            severity: warning
            annotations:
              summary: "{{ $feature }} of {{ $model }}: {{ $value }} of values never seen in the reference"
          - alert: OutOfReferenceRange
            expr: "out_of_range > 0.01"
            for: 2
            severity: warning
            annotations:
              summary: "{{ $feature }} of {{ $model }}: {{ $value }} of values outside the reference's range"
          # A value of the wrong type: a schema change upstream (an id that became a string, a number sent as
          # text), which leaves the feature with no valid value and every distribution measure silent.
          - alert: InvalidValues
            expr: "invalid_rate > 0.01"
            for: 2
            severity: warning
            annotations:
              summary: "{{ $feature }} of {{ $model }}: {{ $value }} of records carry a value of the wrong type (a schema change upstream?)"
          # Most of a window's values of another type than the feature's (settled by the reference or the first
          # window): the same schema change, named as such.
          - alert: FeatureTypeChanged
            expr: "type_changed > 0"
            severity: critical
            annotations:
              summary: "{{ $feature }} of {{ $model }}: most values are no longer of its type (a schema change upstream?)"
          # Fields with values that the reference does not have: a field added upstream, which no drift measure
          # covers (the window line lists them in new_features).
          - alert: NewFeatures
            expr: "new_features > 0"
            severity: warning
            annotations:
              summary: "{{ $model }}: {{ $value }} feature(s) not in the reference (new_features on its window lines)"
          # A binary classifier's performance estimated without labels (CBPE: the reference's calibration applied to
          # the window's scores): below the lowest its reference's own windows reached (mean − 3σ). docs/performance.md.
          - alert: EstimatedPerformanceDrop
            expr: "estimated_roc_auc < threshold_estimated_roc_auc"
            for: 2
            severity: warning
            annotations:
              summary: "{{ $model }}: estimated ROC AUC {{ $value }} over {{ $window }} is below the reference's {{ $threshold }}"
          - alert: RejectedLines
            expr: "rejected > 0"
            severity: warning
            annotations:
              summary: "{{ $model }}: {{ $value }} lines rejected in a {{ $window }} window (see driftd's log)"

          # Model performance, where the logs carry the actual.
          - alert: AccuracyLow
            expr: "accuracy < 0.8 and labeled >= 100"
            for: 2
            severity: critical
            annotations:
              summary: "{{ $model }} accuracy {{ $value }} over {{ $window }}"

        """#
}
