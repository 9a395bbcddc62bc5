import DriftAlerts
import DriftCore

/// Where alert events go (DESIGN §7). A hook delivers on its own thread; it may block, retry or fail without
/// holding up the pipeline or the other hooks.
public protocol Hook: AnyObject, Sendable {
    var name: String { get }
    /// Delivers one round of events (those of one window). Throws when delivery failed for good.
    func deliver(_ events: [AlertEvent]) throws(DriftError)
}

/// A hook that failed to deliver: counted per hook, logged (rate-limited).
struct HookFailed: InternalEvent {
    var hook: String
    var error: DriftError

    func emit(to t: Telemetry) {
        t.increment("hook_failures_total")
        t.increment("hook_failures_total{hook=\"\(hook)\"}")
        t.logLimited(.error, key: "hook:\(hook)", "alert hook failed", metadata: ["hook": "\(hook)", "error": "\(error)"])
    }
}

/// A hook's queue was full: the events were dropped rather than slow down the pipeline.
struct HookDropped: InternalEvent {
    var hook: String
    var events: Int

    func emit(to t: Telemetry) {
        t.increment("hook_dropped_total", by: events)
        t.logLimited(.warning, key: "hook-full:\(hook)", "alert hook is too slow; its queue is full, events dropped",
                     metadata: ["hook": "\(hook)", "events": "\(events)"])
    }
}

/// A hook delivered.
struct HookDelivered: InternalEvent {
    var hook: String
    var events: Int

    func emit(to t: Telemetry) {
        t.increment("hook_deliveries_total")
        t.logger.debug("alert hook delivered", metadata: ["hook": "\(hook)", "events": "\(events)"])
    }
}
