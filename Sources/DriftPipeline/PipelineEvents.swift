import DriftCore
import DriftRecords

/// A line that is not a usable record: counted, and logged (rate-limited) with its file and offset.
struct LineRejected: InternalEvent {
    var source: String
    var line: LineBatch.Line
    var reason: RejectReason

    func emit(to t: Telemetry) {
        t.increment("records_rejected_total")
        t.increment("records_rejected_total{reason=\"\(reason.code)\"}")
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
