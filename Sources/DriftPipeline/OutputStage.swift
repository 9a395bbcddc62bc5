import DriftAlerts
import DriftConfig
import DriftCore
import DriftEvaluate
import DriftSinks
import DriftStats
import DriftSystem

/// The output stage of `run` and `replay` (DESIGN §1): each closed window is evaluated against the rules (alerts
/// to the hooks), encoded, and appended to the metric file — all its lines or none; the latest window of each
/// series is kept for the Prometheus textfile.
final class OutputStage {
    let writer: MetricFileWriter
    /// `profiles.jsonl`, with `output.profiles`.
    let profileWriter: MetricFileWriter?
    private let profileContext: ProfileLineEncoder.Context
    private(set) var router: AlertRouter
    private let reference: ReferenceProfile?
    private let telemetry: Telemetry
    private var textfile: String?
    /// The latest written window of each series, for the textfile.
    private(set) var latest: [SeriesID: WindowReport] = [:]

    /// - Parameter retrying: a metric file that cannot be opened yet is not an error (`run`: the disk may come back).
    init(
        config: DriftConfig, reference: ReferenceProfile?, directory: String? = nil, retrying: Bool,
        telemetry: Telemetry
    ) throws(DriftError) {
        writer = try MetricFileWriter(
            directory: directory ?? config.output.dir, rolling: config.output.rolling,
            retrying: retrying)
        if config.output.profiles {
            let dir = directory ?? config.output.dir
            // A crash mid-line leaves a partial last line; whole lines stand alone (a window written twice after a
            // crash is reported by `driftd merge`, never summed twice).
            _ = try? MetricFileRepair.dropPartialLastLine(path: dir + "/profiles.jsonl")
            profileWriter = try MetricFileWriter(
                directory: dir, name: "profiles", rolling: config.output.rolling, retrying: retrying)
        } else {
            profileWriter = nil
        }
        profileContext = Self.profileContext(config: config, reference: reference)
        router = try AlertRouter(config: config, reference: reference, telemetry: telemetry)
        self.reference = reference
        self.telemetry = telemetry
        textfile = config.output.prometheusTextfile
    }

    /// Evaluates the rules on a closed window at `now` (wall-clock time in `run`, the window's end in `replay`).
    /// Its events go to the hooks unless `notify` is false (a window written before a crash: notified then).
    func evaluate(_ report: WindowReport, now: EventTime, notify: Bool = true) -> [AlertEvent] {
        router.evaluate(report, now: now, notify: notify)
    }

    /// Writes a window's lines, all or none, unless the metric file holds them already; then the window is the
    /// latest of its series.
    func write(_ report: WindowReport, alerts: [AlertEvent], alreadyWritten: Bool = false) throws(DriftError) {
        if !alreadyWritten {
            // Profiles first: a crash between the two writes the window again, and a profile line twice (which a
            // merge reports and skips), never a window whose profile is missing.
            if let profileWriter, report.joined == nil {
                try profileWriter.append(lines: ProfileLineEncoder.lines(for: report, context: profileContext))
            }
            try writer.append(group: MetricLineEncoder.group(for: report, alerts: alerts))
        }
        // The textfile's gauges are the window lines'; a performance line is not a window of its own there.
        if report.joined == nil { latest[report.series] = report }
    }

    /// Rolls the metric file when it reached its size or age. Call between windows.
    func rollIfDue() throws(DriftError) {
        if let profileWriter, profileWriter.shouldRoll {
            MetricFileRolled(file: try profileWriter.roll()).emit(to: telemetry)
        }
        guard writer.shouldRoll else { return }
        let rolled = try writer.roll()
        MetricFileRolled(file: rolled).emit(to: telemetry)
    }

    /// Rewrites the Prometheus textfile, if configured: a temporary file renamed over it.
    func writeTextfile() throws(DriftError) {
        guard let textfile else { return }
        let text = PrometheusTextfile.render(
            latest: Array(latest.values), counters: telemetry.counters, gauges: telemetry.gauges)
        try AtomicFile.write(Array(text.utf8), to: textfile)
    }

    /// A reloaded config's rules, hooks and textfile path; the alert states carry over, the old hooks finish in
    /// the background.
    func reload(_ config: DriftConfig, reference: ReferenceProfile?) throws(DriftError) {
        let fresh = try AlertRouter(config: config, reference: reference, telemetry: telemetry)
        fresh.restore(router.engine.savedStates)
        router.close(timeout: .seconds(1), terminate: false)
        router = fresh
        textfile = config.output.prometheusTextfile
    }

    /// Waits up to `timeout` for the hooks, then terminates what still runs.
    func close(timeout: Span) {
        router.close(timeout: timeout)
    }
}

extension WindowReport {
    /// The report's window.
    var id: WindowID { WindowID(model: modelKey, window: seriesWindow, start: start) }
    var series: SeriesID { SeriesID(model: modelKey, window: seriesWindow) }
}

/// The live metric file was rolled.
struct MetricFileRolled: InternalEvent {
    var file: String

    func emit(to t: Telemetry) {
        t.increment("metric_files_rolled_total")
        t.logger.info("metric file rolled", metadata: ["file": "\(file)"])
    }
}

extension OutputStage {
    /// Where profile lines come from and what they were binned on: `output.instance`, the reference's fingerprint
    /// (XXH64 of its encoded form), each feature's reference mean as its shift.
    static func profileContext(config: DriftConfig, reference: ReferenceProfile?) -> ProfileLineEncoder.Context {
        let ref = reference.flatMap { try? $0.encoded() }.map { data in
            let hex = String(data.withUnsafeBytes { XXH64.hash($0) }, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
        return ProfileLineEncoder.Context(instance: config.output.instanceName, ref: ref) { model, feature in
            reference?.models[model]?.features[feature]?.mean ?? 0
        }
    }
}
