import DriftCore
import Logging

/// Telemetry whose log goes nowhere (tests read its counters instead).
public func quietTelemetry() -> Telemetry {
    Telemetry(logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
}
