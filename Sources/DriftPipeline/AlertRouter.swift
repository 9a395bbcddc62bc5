import DriftAlerts
import DriftConfig
import DriftCore
import DriftEvaluate
import DriftHooks
import DriftStats

/// Evaluates the config's rules on each closed window and hands what fires or resolves to the hooks, each on its
/// own worker (a slow or failing hook holds up neither the pipeline nor the other hooks).
final class AlertRouter {
    private(set) var engine: AlertEngine
    private let workers: [HookWorker]
    private let minCount: [String: Int]
    /// Each window size's slide, for rules whose `for` is a duration.
    private let slides: [String: Int64]
    private let reference: ReferenceProfile?
    private let telemetry: Telemetry

    init(config: DriftConfig, reference: ReferenceProfile?, telemetry: Telemetry) throws(DriftError) {
        engine = AlertEngine(
            rules: config.rules, externalLabels: config.externalLabels, generatorURL: config.generatorURL)
        var workers: [HookWorker] = []
        for h in config.hooks {
            var hooks: [any Hook] = []
            switch h.kind {
            case .exec(let argv): hooks = [ExecHook(name: h.name, argv: argv, timeout: h.timeout, telemetry: telemetry)]
            case .alertmanager(let urls):
                // One worker per Alertmanager of an HA pair: each gets every alert, and one down delays no other.
                for (i, url) in urls.enumerated() {
                    let name = urls.count == 1 ? h.name : "\(h.name)[\(i)]"
                    hooks.append(try HTTPHook(name: name, url: url, kind: .alertmanager, timeout: h.timeout))
                }
            case .webhook(let url): hooks = [try HTTPHook(name: h.name, url: url, kind: .webhook, timeout: h.timeout)]
            case .log: hooks = [LogHook(name: h.name, logger: telemetry.logger)]
            }
            workers += hooks.map { HookWorker(hook: $0, telemetry: telemetry) }
        }
        self.workers = workers
        minCount = Dictionary(config.windows.map { ($0.label, $0.minCount) }, uniquingKeysWith: { a, _ in a })
        slides = Dictionary(config.windows.map { ($0.label, $0.slide.nanoseconds) }, uniquingKeysWith: { a, _ in a })
        self.reference = reference
        self.telemetry = telemetry
    }

    /// Evaluates the rules on `report` at wall-clock (or, in replay, event) time `now`. The events go to the hooks
    /// unless `notify` is false (a window already written before a crash: its state is advanced, not re-sent).
    func evaluate(_ report: WindowReport, now: EventTime, notify: Bool = true) -> [AlertEvent] {
        let features = reference?.models[report.model]?.features
        let events = engine.evaluate(
            report, minCount: minCount[report.window] ?? 0, thresholds: { features?[$0]?.thresholds ?? [:] }, now: now,
            slide: slides[report.window])
        for e in events where e.transition != .stillFiring {
            AlertTransitioned(fired: e.transition == .fired).emit(to: telemetry)
        }
        if notify { for worker in workers { worker.offer(events) } }
        return events
    }

    func restore(_ states: [AlertEngine.Key: AlertState]) {
        engine.restore(states)
    }

    /// Waits up to `timeout` for the hooks to deliver what is queued; then, unless `terminate` is false (a reload,
    /// whose old hooks finish in the background), what is left is dropped and hook programs still running are
    /// terminated (DESIGN §8: SIGTERM, then SIGKILL, before driftd exits).
    func close(timeout: Span, terminate: Bool = true) {
        let each = Span(nanoseconds: timeout.nanoseconds / Int64(max(1, workers.count)))
        for worker in workers { worker.close(timeout: each, terminate: terminate) }
    }
}
