import NIOCore
import NIOHTTP1

/// One connection's requests: routes each, asks the daemon for the answer (which may come from another thread),
/// and writes it in order (swift-nio's pipelining handler keeps one request at a time in flight).
final class EndpointHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let answer: HTTPEndpoint.Answer
    private var head: HTTPRequestHead?

    init(answer: @escaping HTTPEndpoint.Answer) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break  // no route reads a body
        case .end:
            guard let head else { return }
            self.head = nil
            let route = EndpointRoute(method: head.method.rawValue, uri: head.uri)
            if let fixed = route.fixedResponse {
                respond(fixed, to: head, context: context)
                return
            }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            answer(route) { response in
                bound.eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.respond(response, to: head, context: context)
                }
            }
        }
    }

    private func respond(_ response: EndpointResponse, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let body = context.channel.allocator.buffer(string: response.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
            promise: nil)
        if request.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
