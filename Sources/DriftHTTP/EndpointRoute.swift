/// What a request to driftd's HTTP endpoint asks for, decided from its method and path alone (pure), as
/// Prometheus' own web handlers answer: `/metrics`, `/-/healthy` and `/-/ready` take GET or HEAD, `/-/reload`
/// takes POST or PUT; anything else is 404 or 405.
public enum EndpointRoute: Equatable, Sendable {
    case metrics
    case healthy
    case ready
    case reload
    case notFound
    /// The path exists; `allow` lists the methods it takes (the `Allow` header of a 405).
    case methodNotAllowed(allow: String)

    /// The route of `method` on `uri` (the query string, if any, is ignored).
    public init(method: String, uri: String) {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let read = method == "GET" || method == "HEAD"
        switch path {
        case "/metrics": self = read ? .metrics : .methodNotAllowed(allow: "GET, HEAD")
        case "/-/healthy": self = read ? .healthy : .methodNotAllowed(allow: "GET, HEAD")
        case "/-/ready": self = read ? .ready : .methodNotAllowed(allow: "GET, HEAD")
        case "/-/reload":
            self = method == "POST" || method == "PUT" ? .reload : .methodNotAllowed(allow: "POST, PUT")
        default: self = .notFound
        }
    }

    /// The answer that needs nothing from the daemon (404 and 405); nil for the routes the daemon answers.
    public var fixedResponse: EndpointResponse? {
        switch self {
        case .notFound:
            return EndpointResponse(
                status: 404, body: "404 page not found: driftd serves /metrics, /-/healthy, /-/ready, /-/reload\n")
        case .methodNotAllowed(let allow):
            let what =
                allow.hasPrefix("POST") ? "Only POST or PUT requests allowed" : "Only GET or HEAD requests allowed"
            return EndpointResponse(status: 405, body: what + "\n", headers: [("Allow", allow)])
        case .metrics, .healthy, .ready, .reload:
            return nil
        }
    }
}
