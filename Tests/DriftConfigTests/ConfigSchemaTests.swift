import DriftConfig
import DriftCore
import DriftRecords
import Testing

/// `schema.timezone` (the zone of timestamps written without an offset) and `schema.types`.
@Suite struct ConfigSchemaTests {
    @Test func theConfigTakesAZoneAndExplainsAWrongOne() throws {
        let c = try ConfigLoader.parse(
            yaml: "inputs:\n  - path: a\nschema:\n  timezone: Europe/Paris\n", file: "/etc/driftd/driftd.yaml")
        #expect(c.schema.timezone?.name == "Europe/Paris")
        let unset = try ConfigLoader.parse(
            yaml: "inputs:\n  - path: a\nschema:\n  timezone: null\n", file: "/etc/driftd/driftd.yaml")
        #expect(unset.schema.timezone == nil)
        #expect(throws: (any Error).self) {
            try ConfigLoader.parse(
                yaml: "inputs:\n  - path: a\nschema:\n  timezone: Paris\n", file: "/etc/driftd/driftd.yaml")
        }
        do {
            _ = try ConfigLoader.parse(
                yaml: "inputs:\n  - path: a\nschema:\n  timezone: +1\n", file: "/etc/driftd/driftd.yaml")
            Issue.record("schema.timezone: +1 was accepted")
        } catch {
            let message = error.diagnostics.map(\.description).joined()
            #expect(message.contains("driftd.yaml:4:13"), "\(message)")
            #expect(message.contains("write UTC, an offset such as +01:00, or an IANA zone such as Europe/Paris"))
        }
    }

    @Test func typesAreReadAndAWrongOneIsExplained() throws {
        let c = try ConfigLoader.parse(
            yaml: "inputs:\n  - path: a\nschema:\n  types: {mcc: categorical, score: numeric}\n",
            file: "/etc/driftd/driftd.yaml")
        #expect(c.schema.types == ["mcc": .categorical, "score": .numeric])
        do {
            _ = try ConfigLoader.parse(
                yaml: "inputs:\n  - path: a\nschema:\n  types:\n    mcc: text\n", file: "/etc/driftd/driftd.yaml")
            Issue.record("schema.types.mcc: text was accepted")
        } catch {
            let message = error.diagnostics.map(\.description).joined()
            #expect(message.contains("driftd.yaml:5:10"), "\(message)")
            #expect(message.contains("schema.types.mcc must be one of numeric, categorical, not 'text'"), "\(message)")
        }
    }
}
