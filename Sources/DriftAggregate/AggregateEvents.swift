import DriftCore
import DriftRecords
import Logging

/// A line that is not a usable record: counted, and logged (rate-limited) with its file and offset.
public struct LineRejected: InternalEvent {
    public var source: String
    public var line: LineBatch.Line
    public var reason: RejectReason

    public init(source: String, line: LineBatch.Line, reason: RejectReason) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public func emit(to t: Telemetry) {
        t.increment("records_rejected_total", labels: [("reason", reason.code)])
        t.logLimited(
            .warning, key: "rejected:\(source)", "line rejected: \(reason)",
            metadata: [
                "file": "\(source)", "offset": .stringConvertible(line.offset), "line": .stringConvertible(line.number),
            ])
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
            metadata: [
                "model": "\(model)", "window": "\(window)", "start": "\(start)", "records": .stringConvertible(records),
            ])
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
            metadata: ["file": "\(source)", "max_models": .stringConvertible(limit)])
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
        var metadata: Logger.Metadata = ["file": "\(source)", "values": .stringConvertible(count)]
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
