import DriftAlerts
import DriftCore
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs alerts over HTTP(S): to an Alertmanager's `/api/v2/alerts` (every firing alert, again each window while
/// it fires, and its resolution, as Prometheus does), or to a webhook as Alertmanager's v4 payload (when an alert
/// fires or resolves). A failed POST is retried with exponential backoff.
public final class HTTPHook: Hook {
    public enum Kind: Sendable {
        case alertmanager
        case webhook
    }

    public let name: String
    public let url: URL
    public let kind: Kind
    public let timeout: Span
    /// Attempts per delivery, and the first wait between them (doubling each time).
    public let attempts: Int
    public let backoff: Span
    private let session: URLSession

    public init(name: String, url: String, kind: Kind, timeout: Span, attempts: Int = 5,
                backoff: Span = .milliseconds(500)) throws(DriftError) {
        let base = kind == .alertmanager ? url.trimmingSuffix("/") + "/api/v2/alerts" : url
        guard let parsed = URL(string: base), parsed.scheme == "http" || parsed.scheme == "https" else {
            throw DriftError(.input, "hook \(name): \(url) is not an http:// or https:// URL")
        }
        self.name = name
        self.url = parsed
        self.kind = kind
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
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
            body = AlertPayload.alertmanager(alerts, now: EventTime(nanoseconds: Telemetry.wallClockNanoseconds()),
                                             validFor: Span(nanoseconds: max(4 * longest, 240_000_000_000)))
        case .webhook:
            let alerts = events.filter { $0.transition != .stillFiring }.map(\.alert)
            guard !alerts.isEmpty else { return }
            body = AlertPayload.webhook(alerts, receiver: name)
        }
        var wait = backoff.nanoseconds
        var lastError = ""
        for attempt in 1...attempts {
            switch post(body) {
            case .success: return
            case .failure(let message): lastError = message
            }
            if attempt < attempts {
                usleep(UInt32(min(wait, 30_000_000_000) / 1000))
                wait *= 2
            }
        }
        throw DriftError(.io, "hook \(name): POST \(url) failed \(attempts) times; last: \(lastError)")
    }

    private enum Outcome {
        case success
        case failure(String)
    }

    private func post(_ body: [UInt8]) -> Outcome {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("driftd", forHTTPHeaderField: "User-Agent")
        request.httpBody = Data(body)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome = Outcome.failure("no answer")
        let task = session.dataTask(with: request) { _, response, error in
            if let error {
                outcome = .failure(error.localizedDescription)
            } else if let http = response as? HTTPURLResponse {
                outcome = (200..<300).contains(http.statusCode) ? .success : .failure("HTTP \(http.statusCode)")
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
