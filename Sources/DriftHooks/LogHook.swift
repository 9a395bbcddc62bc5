import DriftAlerts
import DriftCore
import Logging

/// Writes each alert that fires or resolves to driftd's log.
public final class LogHook: Hook {
    public let name: String
    private let logger: Logger

    public init(name: String, logger: Logger) {
        self.name = name
        self.logger = logger
    }

    public func deliver(_ events: [AlertEvent]) throws(DriftError) {
        for e in events where e.transition != .stillFiring {
            let l = e.alert.labels
            logger.notice(
                "alert \(e.transition == .fired ? "firing" : "resolved")",
                metadata: [
                    "alertname": "\(l["alertname"] ?? "")", "model": "\(l["model"] ?? "")",
                    "feature": "\(l["feature"] ?? "")", "window": "\(l["window"] ?? "")",
                    "severity": "\(l["severity"] ?? "")", "value": "\(e.alert.annotations["value"] ?? "")",
                    "threshold": "\(e.alert.annotations["threshold"] ?? "")",
                ])
        }
    }
}
