import Foundation

/// A raw HTTP/1.1 client over a real TCP socket, for the endpoint tests: sends the requests given on one
/// connection (keep-alive between them, `Connection: close` on the last) and returns what the server wrote, as
/// text, until it closed the connection (or `timeout` passed).
public func httpExchange(
    port: Int, _ requests: [(method: String, path: String)], host: String = "127.0.0.1", timeout: Double = 10
) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr(host)
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED) }
    var text = ""
    for (i, request) in requests.enumerated() {
        let last = i == requests.count - 1
        text += "\(request.method) \(request.path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: 0\r\n"
        text += last ? "Connection: close\r\n\r\n" : "\r\n"
    }
    let bytes = Array(text.utf8)
    guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else {
        throw POSIXError(.EPIPE)
    }
    var tv = timeval(tv_sec: 0, tv_usec: 200_000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { break }
        if n > 0 { received += buffer[0..<n] }
    }
    return String(decoding: received, as: UTF8.self)
}

/// One request on its own connection: the status code and the body.
public func httpRequest(port: Int, _ method: String, _ path: String) throws -> (status: Int, body: String) {
    let text = try httpExchange(port: port, [(method, path)])
    guard let split = text.range(of: "\r\n\r\n"), let status = Int(text.split(separator: " ").dropFirst().first ?? "")
    else { return (0, text) }
    return (status, String(text[split.upperBound...]))
}
