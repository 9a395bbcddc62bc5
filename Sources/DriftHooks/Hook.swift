import DriftAlerts
import DriftCore
import Logging

/// Where alert events go (DESIGN §7). A hook delivers on its own thread; it may block, retry or fail without
/// holding up the pipeline or the other hooks.
public protocol Hook: AnyObject, Sendable {
    var name: String { get }
    /// Delivers one round of events (those of one window). Throws when delivery failed for good.
    func deliver(_ events: [AlertEvent]) throws(DriftError)
    /// Stops what is still running (driftd is shutting down): a delivery in progress ends soon after.
    func terminate()
}

extension Hook {
    public func terminate() {}
}

/// What an exec hook wrote on its standard output and error: captured, cut at a cap, logged through the rate
/// limiter (never passed through to driftd's own output).
struct HookOutput: InternalEvent {
    var hook: String
    var text: String
    var droppedBytes: Int

    func emit(to t: Telemetry) {
        t.increment("hook_output_bytes_total", by: text.utf8.count + droppedBytes)
        var metadata: Logger.Metadata = ["hook": "\(hook)", "output": "\(text)"]
        if droppedBytes > 0 { metadata["output_bytes_dropped"] = "\(droppedBytes)" }
        t.logLimited(.info, key: "hook-output:\(hook)", "alert hook wrote output", metadata: metadata)
    }
}

/// A hook that failed to deliver: counted per hook, logged (rate-limited).
struct HookFailed: InternalEvent {
    var hook: String
    var error: DriftError

    func emit(to t: Telemetry) {
        t.increment("hook_failures_total", labels: [("hook", hook)])
        t.logLimited(
            .error, key: "hook:\(hook)", "alert hook failed", metadata: ["hook": "\(hook)", "error": "\(error)"])
    }
}

/// A hook's queue was full: the events were dropped rather than slow down the pipeline.
struct HookDropped: InternalEvent {
    var hook: String
    var events: Int

    func emit(to t: Telemetry) {
        t.increment("hook_dropped_total", by: events)
        t.logLimited(
            .warning, key: "hook-full:\(hook)", "alert hook is too slow; its queue is full, events dropped",
            metadata: ["hook": "\(hook)", "events": .stringConvertible(events)])
    }
}

/// A hook delivered.
struct HookDelivered: InternalEvent {
    var hook: String
    var events: Int

    func emit(to t: Telemetry) {
        t.increment("hook_deliveries_total")
        t.logger.debug("alert hook delivered", metadata: ["hook": "\(hook)", "events": .stringConvertible(events)])
    }
}
