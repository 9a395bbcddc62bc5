import DriftConfig
import Testing

/// `output.profiles` and `output.instance`: read, and a wrong value explained with the file and line.
@Suite struct ConfigOutputTests {
    static let file = "/etc/driftd/driftd.yaml"

    @Test func profilesAndInstanceAreRead() throws {
        let on = try ConfigLoader.parse(
            yaml: "inputs: [{path: a}]\noutput: {profiles: true, instance: pod-7}\n", file: Self.file)
        #expect(on.output.profiles && on.output.instanceName == "pod-7")
        let off = try ConfigLoader.parse(yaml: "inputs: [{path: a}]\n", file: Self.file)
        #expect(!off.output.profiles && !off.output.instanceName.isEmpty, "the host name by default")
        do {
            _ = try ConfigLoader.parse(yaml: "inputs: [{path: a}]\noutput:\n  profiles: sometimes\n", file: Self.file)
            Issue.record("accepted profiles: sometimes")
        } catch {
            let text = error.diagnostics.map(\.description).joined()
            #expect(text.contains("driftd.yaml:3:13") && text.contains("must be true or false"), "\(text)")
        }
    }
}
