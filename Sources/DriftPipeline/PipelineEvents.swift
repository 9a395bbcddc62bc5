import DriftCore
import DriftRecords
import Logging

/// A line that is not a usable record: counted, and logged (rate-limited) with its file and offset.
struct LineRejected: InternalEvent {
    var source: String
    var line: LineBatch.Line
    var reason: RejectReason

    func emit(to t: Telemetry) {
        t.increment("records_rejected_total", labels: [("reason", reason.code)])
        t.logLimited(
            .warning, key: "rejected:\(source)", "line rejected: \(reason)",
            metadata: ["file": "\(source)", "offset": "\(line.offset)", "line": "\(line.number)"])
    }
}

/// A window closed and its lines were handed to the sinks.
struct WindowEmitted: InternalEvent {
    var model: String
    var window: String
    var start: EventTime
    var records: Int
    var late: Int

    func emit(to t: Telemetry) {
        t.increment("windows_emitted_total")
        if late > 0 { t.increment("window_late_records_total", by: late) }
        t.logger.debug(
            "window closed",
            metadata: ["model": "\(model)", "window": "\(window)", "start": "\(start)", "records": "\(records)"])
    }
}

/// A record that every window of its model had already closed for: dropped, counted in the next window's `late`.
struct RecordLate: InternalEvent {
    var source: String
    var model: String
    var time: EventTime

    func emit(to t: Telemetry) {
        t.increment("records_late_total")
        t.logLimited(
            .warning, key: "late:\(source)",
            "late record dropped: its windows had closed (raise allowed_lateness if this is expected)",
            metadata: ["file": "\(source)", "model": "\(model)", "event_time": "\(time)"])
    }
}

/// A record of a new model when `limits.max_models` models are held and none is dormant: rejected.
struct ModelRejected: InternalEvent {
    var source: String
    var model: String
    var limit: Int

    func emit(to t: Telemetry) {
        t.increment("records_rejected_total", labels: [("reason", "too_many_models")])
        t.logLimited(
            .warning, key: "too_many_models",
            "record rejected: \(RejectReason.tooManyModels(RejectReason.excerpt(model.utf8)))",
            metadata: ["file": "\(source)", "max_models": "\(limit)"])
    }
}

/// Feature values dropped before aggregation: a name that cannot be a feature's, or a feature beyond
/// `limits.max_features` for its model.
struct FeatureValuesDropped: InternalEvent {
    enum Reason: String {
        case badName = "bad_name"
        case tooManyFeatures = "too_many_features"
    }

    var source: String
    var model: String?
    var feature: String?
    var reason: Reason
    var count: Int

    func emit(to t: Telemetry) {
        t.increment("feature_values_dropped_total", labels: [("reason", reason.rawValue)], by: count)
        var metadata: Logger.Metadata = ["file": "\(source)", "values": "\(count)"]
        if let model { metadata["model"] = "\(model)" }
        if let feature { metadata["feature"] = "\(feature.prefix(256))" }
        let why =
            reason == .badName
            ? "feature values dropped: empty name, or longer than 256 bytes"
            : "feature values dropped: the model has limits.max_features features already"
        t.logLimited(.warning, key: "dropped:\(reason.rawValue)", why, metadata: metadata)
    }
}

/// A dormant model evicted to make room for a new one (its trackers are kept).
struct ModelEvicted: InternalEvent {
    var model: String

    func emit(to t: Telemetry) {
        t.increment("models_evicted_total")
        t.logger.debug("dormant model evicted to make room", metadata: ["model": "\(model)"])
    }
}

/// Features that no record carried for ten window sizes, retired (no longer reported, their state freed).
struct FeaturesRetired: InternalEvent {
    var count: Int

    func emit(to t: Telemetry) {
        t.increment("features_retired_total", by: count)
    }
}

/// A checkpoint was saved.
struct CheckpointSaved: InternalEvent {
    func emit(to t: Telemetry) {
        t.increment("checkpoints_total")
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

    func emit(to t: Telemetry) {
        t.increment("config_reloads_total")
        t.logger.info("config reloaded", metadata: ["rules": "\(rules)", "hooks": "\(hooks)"])
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
        for p in problems { t.logger.error("config reload refused: \(p)") }
        t.logger.error(
            "config reload refused; the previous config stays in force",
            metadata: ["file": "\(file)", "problems": "\(problems.count)"])
    }
}

/// An alert started firing or resolved.
struct AlertTransitioned: InternalEvent {
    var fired: Bool

    func emit(to t: Telemetry) {
        t.increment(fired ? "alerts_fired_total" : "alerts_resolved_total")
    }
}
