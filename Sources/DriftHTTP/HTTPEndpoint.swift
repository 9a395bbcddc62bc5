import DriftCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// driftd's optional HTTP endpoint (`http: {listen: …}`): `/metrics`, `/-/healthy`, `/-/ready` and
/// `POST /-/reload`, served by swift-nio on one event-loop thread of its own, so that a scrape is answered while
/// the pipeline is busy. What each route answers is the daemon's (``Answer``); this type only serves.
public final class HTTPEndpoint: Sendable {
    /// Answers a route the daemon serves (not 404 or 405): call `done` once, from any thread.
    public typealias Answer = @Sendable (EndpointRoute, _ done: @escaping @Sendable (EndpointResponse) -> Void) -> Void

    /// The address it listens on, `host:port` (the port the system chose when the config said 0).
    public let address: String
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    /// Listens on `host:port` (port 0: any free port); throws when it cannot (the port is taken, the address is
    /// not this host's).
    public init(host: String, port: Int, answer: @escaping Answer) throws(DriftError) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EndpointHandler(answer: answer))
                }
            }
            .childChannelOption(.maxMessagesPerRead, value: 1)
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw DriftError(
                .io, "http: cannot listen on \(Self.join(host, port)): \(error); choose another http.listen",
                cause: error)
        }
        self.group = group
        self.port = channel.localAddress?.port ?? port
        address = Self.join(host, self.port)
    }

    /// Stops listening and closes the open connections.
    public func close() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    static func join(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
