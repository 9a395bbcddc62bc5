import DriftCore
import DriftStats

/// The Prometheus textfile (DESIGN §6, for node_exporter's textfile collector): the latest window's gauges per
/// model, feature and window size, and driftd's own counters. Pure: text out; the caller writes it to a temporary
/// name and renames it.
public enum PrometheusTextfile {
    /// Feature gauges: metric name suffix, help, and how to read the value.
    private static let featureGauges: [(String, String, @Sendable (FeatureSummary, Int) -> Double?)] = [
        ("values", "Valid values of the feature in the latest window.", { f, _ in Double(f.count) }),
        (
            "missing_rate", "Share of the window's records where the feature is null or absent.",
            { f, r in r > 0 ? Double(f.missing) / Double(r) : nil }
        ),
        (
            "invalid_rate", "Share of the window's records where the feature has the wrong type.",
            { f, r in r > 0 ? Double(f.invalid) / Double(r) : nil }
        ),
        ("mean", "Mean of the feature's finite values in the latest window.", { f, _ in f.mean }),
        (
            "p50", "Median of the feature in the latest window.",
            { f, _ in f.quantiles.count > 4 ? f.quantiles[4] : nil }
        ),
        (
            "distinct", "Distinct values of a categorical feature in the latest window.",
            { f, _ in f.distinct.map(Double.init) }
        ),
        ("unseen", "Values never seen in the reference, in the latest window.", { f, _ in f.unseen.map(Double.init) }),
        ("psi", "Population stability index against the reference.", { f, _ in f.drift?.psi }),
        ("js", "Jensen-Shannon distance (base 2) against the reference.", { f, _ in f.drift?.js }),
        ("ks", "Kolmogorov-Smirnov statistic against the reference.", { f, _ in f.drift?.ks }),
        (
            "wasserstein_norm", "Wasserstein-1 distance over the reference's standard deviation.",
            { f, _ in f.drift?.wassersteinNorm }
        ),
        ("chi2_p", "Two-sample chi-square p-value against the reference.", { f, _ in f.drift?.chi2P }),
        ("out_of_range", "Share of values outside the reference's range.", { f, _ in f.drift?.outOfRange }),
    ]

    /// The text for the latest `reports` (one per model and window size), `counters` and `gauges` (driftd's own).
    public static func render(
        latest reports: [WindowReport], counters: [String: Int], gauges: [String: Double] = [:]
    ) -> String {
        let sorted = reports.sorted { ($0.model, $0.window) < ($1.model, $1.window) }
        var out = ""
        func family(_ name: String, _ help: String, _ type: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
            let text = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
            out += "\(name){\(text)} \(format(value))\n"
        }
        // Which driftd wrote the file, as Prometheus' own `prometheus_build_info`.
        family(
            "driftd_build_info", "The driftd that wrote these metrics: version, build and compiler; always 1.", "gauge")
        sample(
            "driftd_build_info",
            [
                ("version", BuildInfo.version), ("configuration", BuildInfo.configuration),
                ("compiler", BuildInfo.compiler), ("platform", BuildInfo.platform),
            ], 1)
        let windowGauges: [(String, String, (WindowReport) -> Double?)] = [
            ("driftd_window_records", "Records of the model in its latest closed window.", { Double($0.records) }),
            ("driftd_window_late", "Late records counted in the latest closed window.", { Double($0.late) }),
            ("driftd_window_rejected", "Rejected lines counted in the latest closed window.", { Double($0.rejected) }),
            (
                "driftd_window_end_timestamp_seconds", "Event time at which the latest closed window ends.",
                { Double($0.end.nanoseconds) / 1e9 }
            ),
            (
                "driftd_window_accuracy", "Accuracy against the actual in the latest closed window.",
                { $0.performance.accuracy }
            ),
        ]
        for (name, help, read) in windowGauges {
            let samples = sorted.compactMap { r in read(r).map { (r, $0) } }
            guard !samples.isEmpty else { continue }
            family(name, help, "gauge")
            for (r, v) in samples { sample(name, Self.labels(r, [("window", r.window)]), v) }
        }
        for (suffix, help, read) in featureGauges {
            let name = "driftd_feature_" + suffix
            var lines: [(WindowReport, FeatureSummary, Double)] = []
            for r in sorted {
                for f in r.features { if let v = read(f, r.records), v.isFinite { lines.append((r, f, v)) } }
            }
            guard !lines.isEmpty else { continue }
            family(name, help, "gauge")
            for (r, f, v) in lines {
                sample(name, Self.labels(r, [("feature", f.feature), ("window", r.window)]), v)
            }
        }
        for entry in CounterCatalog.gauges {
            guard let value = gauges[entry.name], value.isFinite else { continue }
            family("driftd_" + entry.name, entry.help, "gauge")
            out += "driftd_\(entry.name) \(format(value))\n"
        }
        // Every counter, labelled ones included (a family's series under one HELP and TYPE).
        var families: [String: [(series: String, value: Int)]] = [:]
        for (key, value) in counters {
            let name = key.firstIndex(of: "{").map { String(key[..<$0]) } ?? key
            families[name, default: []].append((String(key.dropFirst(name.count)), value))
        }
        for name in families.keys.sorted() {
            let metric = "driftd_" + name.replacingUnsupported()
            family(metric, CounterCatalog.byName[name]?.help ?? "driftd's own counter \(name).", "counter")
            for (labels, value) in families[name]!.sorted(by: { $0.series < $1.series }) {
                out += "\(metric)\(labels) \(value)\n"
            }
        }
        return out
    }

    /// A window's series labels: `model`, `model_version` where it has one, then `rest`.
    static func labels(_ r: WindowReport, _ rest: [(String, String)]) -> [(String, String)] {
        [("model", r.model)] + (r.modelVersion.map { [("model_version", $0)] } ?? []) + rest
    }

    static func escape(_ value: String) -> String { Telemetry.escapeLabelValue(value) }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}

extension String {
    /// A Prometheus metric name: letters, digits and underscores.
    fileprivate func replacingUnsupported() -> String {
        String(map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    }
}
