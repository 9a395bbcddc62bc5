#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DriftConfig.HTTP {
    /// Parses `HOST:PORT`: an IPv4 literal, `[IPv6]`, or `localhost`; a port from 0 to 65535. Nil when it is not
    /// one (a host name would need a resolver at start, and a bare `:9797` would listen on every interface without
    /// the user writing so).
    public init?(listen text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            var address = in6_addr()
            guard inet_pton(AF_INET6, String(host), &address) == 1 else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            var address = in_addr()
            guard host == "localhost" || inet_pton(AF_INET, String(host), &address) == 1 else { return nil }
        }
        guard portText.allSatisfy(\.isASCII), let port = Int(portText), (0...65_535).contains(port) else {
            return nil
        }
        self.init(host: host == "localhost" ? "127.0.0.1" : String(host), port: port)
    }

    /// `host:port`, the IPv6 host in brackets.
    public var listen: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
