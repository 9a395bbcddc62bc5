import DriftCore
import Logging
import Synchronization
import Testing

/// Collects log messages in memory.
final class CapturedLog: Sendable {
    let messages = Mutex<[(String, Logger.Metadata)]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(sink: self) }
    }

    struct Handler: LogHandler {
        let sink: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.messages.withLock { $0.append(("\(event.message)", event.metadata ?? [:])) }
        }
    }
}

@Suite struct TelemetryTests {
    @Test func logsAreRateLimitedPerKeyAndTheNextMessageSaysHowManyWereSuppressed() {
        let log = CapturedLog()
        let now = Mutex<Int64>(0)
        let t = Telemetry(
            logger: log.logger, rateLimit: 3, rateWindowNanoseconds: 10,
            clock: { now.withLock { $0 } })
        for i in 0..<10 { t.logLimited(.warning, key: "a", "message \(i)") }
        t.logLimited(.warning, key: "b", "other key")
        #expect(log.messages.withLock { $0.map(\.0) } == ["message 0", "message 1", "message 2", "other key"])
        now.withLock { $0 = 10 }
        t.logLimited(.warning, key: "a", "after the window")
        let last = log.messages.withLock { $0.last! }
        #expect(last.0 == "after the window")
        #expect(last.1["suppressed_since_last"]?.description == "7")
    }

    @Test func countersAddUp() {
        let t = Telemetry(logger: CapturedLog().logger)
        t.increment("x")
        t.increment("x", by: 4)
        #expect(t.counter("x") == 5)
        #expect(t.counter("never") == 0)
        #expect(t.counters == ["x": 5])
    }
}
