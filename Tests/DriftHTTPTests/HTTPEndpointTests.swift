import DriftCore
import DriftHTTP
import DriftTestSupport
import Foundation
import Synchronization
import Testing

/// The endpoint served for real on 127.0.0.1 (a port the system chose), read with a raw socket client.
@Suite(.serialized) struct HTTPEndpointTests {
    /// Answers every route with its name, from another thread after a moment (as the daemon's reload does).
    final class Seen: Sendable {
        let routes = Mutex<[EndpointRoute]>([])
    }

    static func serve() throws -> (HTTPEndpoint, Seen) {
        let seen = Seen()
        let endpoint = try HTTPEndpoint(host: "127.0.0.1", port: 0) { route, done in
            seen.routes.withLock { $0.append(route) }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) {
                done(EndpointResponse(status: route == .ready ? 503 : 200, body: "answer to \(route)\n"))
            }
        }
        return (endpoint, seen)
    }

    @Test func answersEachRouteAndRefusesTheRest() throws {
        let (endpoint, seen) = try Self.serve()
        defer { endpoint.close() }
        #expect(endpoint.port > 0 && endpoint.address == "127.0.0.1:\(endpoint.port)")
        let metrics = try httpRequest(port: endpoint.port, "GET", "/metrics")
        #expect(metrics.status == 200 && metrics.body == "answer to metrics\n")
        #expect(try httpRequest(port: endpoint.port, "GET", "/-/ready").status == 503)
        #expect(try httpRequest(port: endpoint.port, "POST", "/-/reload").body == "answer to reload\n")
        let wrongMethod = try httpExchange(port: endpoint.port, [("GET", "/-/reload")])
        #expect(wrongMethod.hasPrefix("HTTP/1.1 405"))
        #expect(wrongMethod.contains("Allow: POST, PUT\r\n"))
        #expect(try httpRequest(port: endpoint.port, "GET", "/nothing").status == 404)
        // 404 and 405 never reach the daemon.
        #expect(seen.routes.withLock { $0 } == [.metrics, .ready, .reload])
    }

    @Test func keepAliveAnswersInOrderAndHeadHasNoBody() throws {
        let (endpoint, _) = try Self.serve()
        defer { endpoint.close() }
        let text = try httpExchange(
            port: endpoint.port, [("GET", "/-/healthy"), ("HEAD", "/metrics"), ("GET", "/metrics")])
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK\r\n").count == 4, "three answers: \(text)")
        let healthy = try #require(text.range(of: "answer to healthy\n"))
        let metrics = try #require(text.range(of: "answer to metrics\n"))
        #expect(healthy.upperBound <= metrics.lowerBound)
        // HEAD: the length of the GET's body, and no body (so the metrics answer appears once).
        #expect(text.components(separatedBy: "answer to metrics").count == 2)
        #expect(text.components(separatedBy: "Content-Length: 18\r\n").count == 4)
    }

    @Test func aTakenPortIsAClearError() throws {
        let (first, _) = try Self.serve()
        defer { first.close() }
        #expect {
            _ = try HTTPEndpoint(host: "127.0.0.1", port: first.port) { _, done in
                done(EndpointResponse(status: 200, body: ""))
            }
        } throws: { error in
            let message = (error as? DriftError)?.message ?? ""
            return message.contains("http: cannot listen on 127.0.0.1:\(first.port)")
                && message.contains("choose another http.listen")
        }
    }
}
