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
        var limiter: [String: (windowStart: Int64, logged: Int, suppressed: Int)] = [:]
    }

    /// - Parameter clock: monotonic nanoseconds, injected so that tests control rate limiting.
    public init(logger: Logger, rateLimit: Int = 5, rateWindowNanoseconds: Int64 = 10_000_000_000,
                clock: @escaping @Sendable () -> Int64 = Telemetry.monotonicNanoseconds) {
        self.logger = logger
        self.rateLimit = rateLimit
        self.rateWindowNanoseconds = rateWindowNanoseconds
        self.clock = clock
    }

    public func increment(_ counter: String, by amount: Int = 1) {
        state.withLock { $0.counters[counter, default: 0] += amount }
    }

    public func counter(_ name: String) -> Int {
        state.withLock { $0.counters[name] ?? 0 }
    }

    /// A snapshot of every counter, by name.
    public var counters: [String: Int] {
        state.withLock { $0.counters }
    }

    /// Logs `message` unless more than ``rateLimit`` messages with this `key` were logged in the current
    /// window; then it is only counted, and the next message logged says how many were suppressed.
    public func logLimited(_ level: Logger.Level, key: String, _ message: @autoclosure () -> String,
                           metadata: Logger.Metadata = [:]) {
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
        if suppressed > 0 { metadata["suppressed_since_last"] = "\(suppressed)" }
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
