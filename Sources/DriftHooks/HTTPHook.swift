import DriftAlerts
import DriftCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs alerts over HTTP(S): to an Alertmanager's `/api/v2/alerts` (every firing alert, again each window while
/// it fires, and its resolution, as Prometheus does), or to a webhook as Alertmanager's v4 payload (when an alert
/// fires or resolves). A failed POST is retried with exponential backoff, as ``RetryPolicy`` says.
public final class HTTPHook: Hook {
    public enum Kind: Sendable {
        case alertmanager
        case webhook
    }

    public let name: String
    public let url: URL
    public let kind: Kind
    public let timeout: Span
    /// When to try again: network errors, 408, 429 and 5xx; never another 4xx.
    public let retry: RetryPolicy
    private let session: URLSession

    public init(
        name: String, url: String, kind: Kind, timeout: Span, attempts: Int = 5,
        backoff: Span = .milliseconds(500)
    ) throws(DriftError) {
        let base = kind == .alertmanager ? url.trimmingSuffix("/") + "/api/v2/alerts" : url
        guard let parsed = URL(string: base), parsed.scheme == "http" || parsed.scheme == "https" else {
            throw DriftError(.input, "hook \(name): \(url) is not an http:// or https:// URL")
        }
        self.name = name
        self.url = parsed
        self.kind = kind
        self.timeout = timeout
        retry = RetryPolicy(attempts: attempts, backoff: backoff)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout.seconds
        session = URLSession(configuration: configuration)
    }

    public func deliver(_ events: [AlertEvent]) throws(DriftError) {
        let body: [UInt8]
        switch kind {
        case .alertmanager:
            // Alertmanager wants every active alert again, or it resolves it when its endsAt passes.
            let alerts = events.map(\.alert)
            guard !alerts.isEmpty else { return }
            let longest = alerts.map { $0.windowEnd.nanoseconds - $0.windowStart.nanoseconds }.max() ?? 0
            body = AlertPayload.alertmanager(
                alerts, now: EventTime(nanoseconds: Telemetry.wallClockNanoseconds()),
                validFor: Span(nanoseconds: max(4 * longest, 240_000_000_000)))
        case .webhook:
            let alerts = events.filter { $0.transition != .stillFiring }.map(\.alert)
            guard !alerts.isEmpty else { return }
            body = AlertPayload.webhook(alerts, receiver: name)
        }
        var attempt = 1
        while true {
            guard let failure = post(body) else { return }
            guard let wait = retry.wait(after: attempt, failure: failure) else {
                let what: String
                switch failure {
                case .status(let code) where !retry.isRetryable(failure):
                    what = "answered HTTP \(code), which is not retried (the receiver refuses this payload)"
                case .status(let code): what = "failed \(attempt) times; last: HTTP \(code)"
                case .transport(let message): what = "failed \(attempt) times; last: \(message)"
                }
                throw DriftError(.io, "hook \(name): POST \(url) \(what)")
            }
            usleep(UInt32(wait.nanoseconds / 1000))
            attempt += 1
        }
    }

    /// One POST; nil when it was answered with a 2xx.
    private func post(_ body: [UInt8]) -> RetryPolicy.Failure? {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("driftd", forHTTPHeaderField: "User-Agent")
        request.httpBody = Data(body)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: RetryPolicy.Failure? = .transport("no answer")
        let task = session.dataTask(with: request) { _, response, error in
            if let error {
                outcome = .transport(error.localizedDescription)
            } else if let http = response as? HTTPURLResponse {
                outcome = (200..<300).contains(http.statusCode) ? nil : .status(http.statusCode)
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return outcome
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}
