/// An answer of driftd's HTTP endpoint: status, body and the headers beyond the ones every answer has.
public struct EndpointResponse: Equatable, Sendable {
    /// The content type of the Prometheus text exposition format.
    public static let exposition = "text/plain; version=0.0.4; charset=utf-8"

    public var status: Int
    public var contentType: String
    public var body: String
    public var headers: [(String, String)]

    public init(
        status: Int, body: String, contentType: String = "text/plain; charset=utf-8", headers: [(String, String)] = []
    ) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.headers = headers
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.status == b.status && a.contentType == b.contentType && a.body == b.body
            && a.headers.elementsEqual(b.headers, by: { $0 == $1 })
    }
}
