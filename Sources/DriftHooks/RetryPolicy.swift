import DriftCore

/// When and how often an HTTP hook tries again (as Prometheus' notifier and Alertmanager's webhook sender do):
/// network errors, timeouts, 429 and 5xx answers are retried with exponential backoff; any other 4xx is the
/// receiver refusing this payload, and sending it again would only be refused again. Pure: the caller does the
/// waiting.
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts per delivery, at least one.
    public var attempts: Int
    /// The first wait between attempts; each later one doubles, up to ``maxWait``.
    public var backoff: Span
    public var maxWait: Span

    public init(attempts: Int = 5, backoff: Span = .milliseconds(500), maxWait: Span = .seconds(30)) {
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.maxWait = maxWait
    }

    /// What went wrong with one attempt.
    public enum Failure: Hashable, Sendable {
        /// No answer: the connection failed or timed out.
        case transport(String)
        /// An answer with a status outside 2xx.
        case status(Int)
    }

    /// Whether a failure is worth another attempt.
    public func isRetryable(_ failure: Failure) -> Bool {
        switch failure {
        case .transport: true
        case .status(let code): code == 408 || code == 429 || code >= 500
        }
    }

    /// The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed, or nil when there is no
    /// further attempt (the last one was made, or the failure is not retryable).
    public func wait(after attempt: Int, failure: Failure) -> Span? {
        guard attempt < attempts, isRetryable(failure) else { return nil }
        var wait = backoff.nanoseconds
        for _ in 1..<attempt where wait < maxWait.nanoseconds { wait *= 2 }
        return Span(nanoseconds: min(wait, maxWait.nanoseconds))
    }
}
