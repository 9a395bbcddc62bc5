import DriftHTTP
import Testing

/// The routes, as Prometheus' web handlers answer them: methods per path, the query ignored, 404 and 405.
struct EndpointRouteTests {
    @Test(arguments: [
        ("GET", "/metrics", EndpointRoute.metrics), ("HEAD", "/metrics", .metrics),
        ("GET", "/metrics?name[]=x", .metrics), ("GET", "/-/healthy", .healthy), ("HEAD", "/-/ready", .ready),
        ("POST", "/-/reload", .reload), ("PUT", "/-/reload", .reload),
        ("GET", "/-/reload", .methodNotAllowed(allow: "POST, PUT")),
        ("POST", "/metrics", .methodNotAllowed(allow: "GET, HEAD")),
        ("DELETE", "/-/healthy", .methodNotAllowed(allow: "GET, HEAD")),
        ("GET", "/", .notFound), ("GET", "/metrics/", .notFound), ("GET", "/-/reload/x", .notFound),
        ("GET", "", .notFound),
    ])
    func routes(method: String, uri: String, expected: EndpointRoute) {
        #expect(EndpointRoute(method: method, uri: uri) == expected)
    }

    @Test func fixedAnswersNeedNothingFromTheDaemon() throws {
        let notAllowed = try #require(EndpointRoute(method: "GET", uri: "/-/reload").fixedResponse)
        #expect(notAllowed.status == 405)
        #expect(notAllowed.body == "Only POST or PUT requests allowed\n")
        #expect(notAllowed.headers.first! == ("Allow", "POST, PUT"))
        #expect(EndpointRoute.notFound.fixedResponse?.status == 404)
        for route in [EndpointRoute.metrics, .healthy, .ready, .reload] { #expect(route.fixedResponse == nil) }
    }
}
