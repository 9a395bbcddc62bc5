import Logging
import Synchronization

/// driftd's own counters and its rate-limited log, in one place (Vector's internal events): an event's
/// `emit` logs *and* counts through here, so that logs and metrics never disagree.
public final class Telemetry: Sendable {
    public let logger: Logger
    private let state = Mutex(State())
    private let clock: @Sendable () -> Int64
    /// At most this many messages per event key per ``rateWindowNanoseconds``; the rest are counted and
    /// summarized in the next message that gets through.
    public let rateLimit: Int
    public let rateWindowNanoseconds: Int64

    private struct State {
        var counters: [String: Int] = [:]
        var gauges: [String: Double] = [:]
        var limiter: [String: (windowStart: Int64, logged: Int, suppressed: Int)] = [:]
    }

    /// - Parameter clock: monotonic nanoseconds, injected so that tests control rate limiting.
    public init(
        logger: Logger, rateLimit: Int = 5, rateWindowNanoseconds: Int64 = 10_000_000_000,
        clock: @escaping @Sendable () -> Int64 = Telemetry.monotonicNanoseconds
    ) {
        self.logger = logger
        self.rateLimit = rateLimit
        self.rateWindowNanoseconds = rateWindowNanoseconds
        self.clock = clock
    }

    public func increment(_ counter: String, by amount: Int = 1) {
        state.withLock { $0.counters[counter, default: 0] += amount }
    }

    /// Counts one series of a counter with labels (``CounterCatalog``): kept as `name{label="value",…}`, the
    /// series key of the Prometheus exposition format; the family's total is the sum of its series.
    public func increment(_ counter: String, labels: [(String, String)], by amount: Int = 1) {
        increment(Self.seriesKey(counter, labels), by: amount)
    }

    /// `name{a="x",b="y"}`, values escaped as the exposition format does.
    public static func seriesKey(_ name: String, _ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return name }
        return name + "{" + labels.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// A label value as the exposition format writes it: `\`, `"` and newlines escaped; a control character
    /// (which the format has no escape for) written as the text `\u00XX`, never raw.
    public static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A series (`name{reason="x"}`), or — for a bare name — the family total: its own value plus every
    /// labelled series of it.
    public func counter(_ name: String) -> Int {
        state.withLock { s in
            if name.contains("{") { return s.counters[name] ?? 0 }
            return s.counters.reduce(0) { total, entry in
                total
                    + (entry.key == name || (entry.key.hasPrefix(name) && entry.key.dropFirst(name.count).first == "{")
                        ? entry.value : 0)
            }
        }
    }

    /// Sets a gauge of ``CounterCatalog/gauges`` (a value that goes up and down, or a time, as Prometheus'
    /// `*_timestamp_seconds`).
    public func set(_ gauge: String, _ value: Double) {
        state.withLock { $0.gauges[gauge] = value }
    }

    /// A snapshot of every gauge, by name.
    public var gauges: [String: Double] {
        state.withLock { $0.gauges }
    }

    /// A snapshot of every series, by key (`name` or `name{label="value"}`).
    public var counters: [String: Int] {
        state.withLock { $0.counters }
    }

    /// Every series, plus the total of each family with labels (for the `kind: self` line).
    public var countersWithTotals: [String: Int] {
        var all = counters
        for (key, value) in counters {
            guard let brace = key.firstIndex(of: "{") else { continue }
            all[String(key[..<brace]), default: 0] += value
        }
        return all
    }

    /// Logs `message` unless more than ``rateLimit`` messages with this `key` were logged in the current
    /// window; then it is only counted, and the next message logged says how many were suppressed.
    public func logLimited(
        _ level: Logger.Level, key: String, _ message: @autoclosure () -> String,
        metadata: Logger.Metadata = [:]
    ) {
        let now = clock()
        let suppressed: Int? = state.withLock { s in
            var entry = s.limiter[key] ?? (now, 0, 0)
            if now - entry.windowStart >= rateWindowNanoseconds { entry = (now, 0, entry.suppressed) }
            defer { s.limiter[key] = entry }
            guard entry.logged < rateLimit else {
                entry.suppressed += 1
                return nil
            }
            entry.logged += 1
            defer { entry.suppressed = 0 }
            return entry.suppressed
        }
        guard let suppressed else { return }
        var metadata = metadata
        if suppressed > 0 { metadata["suppressed_since_last"] = .stringConvertible(suppressed) }
        logger.log(level: level, "\(message())", metadata: metadata)
    }

    /// Wall-clock time (nanoseconds since the epoch), for alert timestamps.
    public static let wallClockNanoseconds: @Sendable () -> Int64 = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    public static let monotonicNanoseconds: @Sendable () -> Int64 = {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A typed internal event that logs and counts in one place.
public protocol InternalEvent {
    func emit(to telemetry: Telemetry)
}
