import DriftStats

/// The field's conventional drift thresholds (DESIGN §5): PSI ≥ 0.2 critical (≥ 0.1 warning), Jensen–Shannon
/// ≥ 0.1, normed Wasserstein ≥ 0.1, chi-square p < 0.05 only for windows under 1,000 records (on larger windows
/// the test flags differences too small to matter). The one source of these numbers: the shipped rules
/// (`DefaultRules`) are written from them, and the report draws them.
public enum DefaultThresholds {
    public static let psiWarning = 0.1
    public static let psiCritical = 0.2
    public static let js = 0.1
    public static let wassersteinNorm = 0.1
    public static let chi2P = 0.05
    public static let chi2MaxRecords = 1000

    /// The measures of `d` that cross a default threshold (warnings included), for a window of `records`.
    public static func crossed(_ d: DriftValues, records: Int) -> [String] {
        var out: [String] = []
        if let v = d.psi, v >= psiWarning { out.append("psi") }
        if let v = d.js, v >= js { out.append("js") }
        if let v = d.wassersteinNorm, v >= wassersteinNorm { out.append("wasserstein_norm") }
        if let p = d.chi2P, p < chi2P, records < chi2MaxRecords { out.append("chi2_p") }
        return out
    }
}
