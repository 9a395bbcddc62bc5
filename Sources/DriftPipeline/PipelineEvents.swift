import DriftCore
import DriftRecords
import Logging

/// A checkpoint was saved.
struct CheckpointSaved: InternalEvent {
    /// Wall-clock nanoseconds.
    var at: Int64
    /// How long it took to encode and write, in nanoseconds.
    var took: Int64

    func emit(to t: Telemetry) {
        t.increment("checkpoints_total")
        t.set("last_checkpoint_timestamp_seconds", Double(at) / 1e9)
        t.set("last_checkpoint_duration_seconds", Double(took) / 1e9)
    }
}

/// A checkpoint found at start could not be used; it was moved aside (or could not be).
struct CheckpointUnusable: InternalEvent {
    var path: String
    var movedTo: String?
    var reason: String

    func emit(to t: Telemetry) {
        t.increment("checkpoint_unusable_total")
        let what = movedTo == nil ? "ignored" : "moved aside"
        t.logger.error(
            "checkpoint is unusable; \(what) and starting from the inputs' start_at (windows already in the metric files are not written again)",
            metadata: ["file": "\(path)", "moved_to": "\(movedTo ?? "-")", "reason": "\(reason)"])
    }
}

/// A SIGHUP reload took effect; `restartNeeded` names what waits for a restart.
struct ConfigReloaded: InternalEvent {
    var rules: Int
    var hooks: Int
    var restartNeeded: [String]

    /// Wall-clock nanoseconds.
    var at: Int64

    func emit(to t: Telemetry) {
        t.increment("config_reloads_total")
        t.set("config_last_reload_successful", 1)
        t.set("config_last_reload_success_timestamp_seconds", Double(at) / 1e9)
        t.logger.info(
            "config reloaded", metadata: ["rules": .stringConvertible(rules), "hooks": .stringConvertible(hooks)])
        if !restartNeeded.isEmpty {
            t.logger.warning("these changes take effect after a restart: \(restartNeeded.joined(separator: ", "))")
        }
    }
}

/// A SIGHUP reload was refused: the config in force stays.
struct ConfigReloadRefused: InternalEvent {
    var file: String
    var problems: [String]

    func emit(to t: Telemetry) {
        t.increment("config_reloads_refused_total")
        t.set("config_last_reload_successful", 0)
        for p in problems { t.logger.error("config reload refused: \(p)") }
        t.logger.error(
            "config reload refused; the previous config stays in force",
            metadata: ["file": "\(file)", "problems": .stringConvertible(problems.count)])
    }
}

/// An alert started firing or resolved.
struct AlertTransitioned: InternalEvent {
    var fired: Bool

    func emit(to t: Telemetry) {
        t.increment(fired ? "alerts_fired_total" : "alerts_resolved_total")
    }
}
