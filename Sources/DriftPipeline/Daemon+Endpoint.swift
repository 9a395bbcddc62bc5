import DriftCore
import DriftHTTP
import DriftSinks
import DriftStats
import Foundation

/// What the HTTP endpoint reads, shared between the pipeline's queue (which writes it after each round) and the
/// endpoint's thread (which reads it for a request), so that a scrape never waits for a busy round.
struct EndpointState {
    /// The first round (a scan of the inputs) ended, and driftd is not stopping.
    var ready = false
    /// The latest written window of each series, as the textfile has it.
    var latest: [SeriesID: WindowReport] = [:]
}

/// ``EndpointState`` behind a lock, in a box of its own. A `Mutex` stored among the daemon's other properties was
/// miscompiled in release builds (Swift 6.3.1 on Linux): the daemon's initializer wrote 8 bytes past the end of
/// the object, and the heap corruption crashed `driftd run` at start or exit (found with valgrind; debug builds
/// were fine).
final class EndpointStateBox: @unchecked Sendable {  // `value` is only touched under `lock`
    private let lock = NSLock()
    private var value = EndpointState()

    func withLock<T>(_ body: (inout EndpointState) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }

}

extension Daemon {
    /// Starts the endpoint of `http.listen`, if configured.
    func startEndpoint() throws(DriftError) {
        guard let http = config.http else { return }
        let endpoint = try HTTPEndpoint(host: http.host, port: http.port) { [weak self] route, done in
            guard let self else { return done(EndpointResponse(status: 503, body: "driftd is stopping.\n")) }
            self.answer(route, done)
        }
        self.endpoint = endpoint
        telemetry.logger.info("http endpoint listening", metadata: ["address": "\(endpoint.address)"])
    }

    /// The answer of a route: off the pipeline's queue, except a reload (which runs there, as SIGHUP does).
    func answer(_ route: EndpointRoute, _ done: @escaping @Sendable (EndpointResponse) -> Void) {
        switch route {
        case .metrics:
            let latest = endpointState.withLock { $0.latest }
            let text = PrometheusTextfile.render(
                latest: Array(latest.values), counters: telemetry.counters, gauges: telemetry.gauges)
            done(EndpointResponse(status: 200, body: text, contentType: EndpointResponse.exposition))
        case .healthy:
            // As Prometheus': the process serves. A pipeline that stops making progress is systemd's watchdog's.
            done(EndpointResponse(status: 200, body: "driftd is Healthy.\n"))
        case .ready:
            let ready = endpointState.withLock { $0.ready }
            done(
                ready
                    ? EndpointResponse(status: 200, body: "driftd is Ready.\n")
                    : EndpointResponse(status: 503, body: "Service Unavailable: driftd is starting or stopping.\n"))
        case .reload:
            queue.async {
                if let problem = self.reload() {
                    done(EndpointResponse(status: 500, body: "failed to reload config: \(problem)\n"))
                } else {
                    done(EndpointResponse(status: 200, body: "config reloaded from \(self.config.file)\n"))
                }
            }
        case .notFound, .methodNotAllowed:
            done(route.fixedResponse!)
        }
    }

    /// After a round, on the queue: what the endpoint serves from now on.
    func publishEndpointState(_ r: Running, ready: Bool) {
        telemetry.set("ready", ready ? 1 : 0)
        guard endpoint != nil else { return }
        let latest = r.output.latest
        endpointState.withLock {
            $0.ready = ready
            $0.latest = latest
        }
    }
}
