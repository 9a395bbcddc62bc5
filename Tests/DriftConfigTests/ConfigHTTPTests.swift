import DriftConfig
import Testing

/// `http.listen`: literal addresses and a port, or a clear error with the line and an example.
struct ConfigHTTPTests {
    func load(_ yaml: String) -> (DriftConfig?, [String]) {
        do {
            return (try ConfigLoader.parse(yaml: "inputs:\n  - path: a.zst\n" + yaml, file: "/etc/driftd.yaml"), [])
        } catch {
            return (nil, error.diagnostics.map(\.description))
        }
    }

    @Test(arguments: [
        ("127.0.0.1:9797", "127.0.0.1", 9797), ("localhost:9797", "127.0.0.1", 9797), ("[::1]:0", "::1", 0),
        ("0.0.0.0:65535", "0.0.0.0", 65535),
    ])
    func addresses(listen: String, host: String, port: Int) throws {
        let (config, errors) = load("http: {listen: \"\(listen)\"}\n")
        #expect(errors.isEmpty, "\(errors)")
        let http = try #require(config?.http)
        #expect(http.host == host && http.port == port)
    }

    @Test func offUnlessConfigured() {
        #expect(load("").0?.http == nil)
    }

    @Test(arguments: [":9797", "9797", "example.org:9797", "127.0.0.1:65536", "127.0.0.1:-1", "[::1]9797", "::1:9797"])
    func refused(listen: String) {
        let errors = load("http: {listen: \"\(listen)\"}\n").1
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("/etc/driftd.yaml:3:") == true, "\(errors)")
        #expect(errors.first?.contains("http.listen must be HOST:PORT") == true)
        #expect(errors.first?.contains("\"127.0.0.1:9797\"") == true)
    }

    @Test func aMissingListenOrAnUnknownKeyIsNamed() {
        #expect(load("http: {}\n").1.first?.contains("http needs 'listen'") == true)
        #expect(load("http: {listen: \"127.0.0.1:1\", lisen: x}\n").1.first?.contains("did you mean 'listen'") == true)
    }
}
