import DriftConfig
import DriftCore
import DriftRecords
import Testing

/// `schema.timezone` (the zone of timestamps written without an offset), `schema.types` and
/// `schema.flatten_depth`: read, and a wrong value explained with the file, the line and what to write.
@Suite struct ConfigSchemaTests {
    static let file = "/etc/driftd/driftd.yaml"

    func parse(_ schema: String) throws(ConfigError) -> DriftConfig {
        try ConfigLoader.parse(yaml: "inputs:\n  - path: a\nschema:\n" + schema, file: Self.file)
    }

    /// The diagnostics of a schema section that must be refused.
    func errors(_ schema: String) -> String {
        do {
            _ = try parse(schema)
            Issue.record("accepted: \(schema)")
            return ""
        } catch {
            return error.diagnostics.map(\.description).joined(separator: "\n")
        }
    }

    @Test func theConfigTakesAZoneAndExplainsAWrongOne() throws {
        #expect(try parse("  timezone: Europe/Paris\n").schema.timezone?.name == "Europe/Paris")
        #expect(try parse("  timezone: null\n").schema.timezone == nil)
        #expect(!errors("  timezone: Paris\n").isEmpty)
        let message = errors("  timezone: +1\n")
        #expect(message.contains("driftd.yaml:4:13"), "\(message)")
        #expect(message.contains("write UTC, an offset such as +01:00, or an IANA zone such as Europe/Paris"))
    }

    @Test func typesAreReadAndAWrongOneIsExplained() throws {
        #expect(
            try parse("  types: {mcc: categorical, score: numeric}\n").schema.types == [
                "mcc": .categorical, "score": .numeric,
            ])
        let message = errors("  types:\n    mcc: text\n")
        #expect(message.contains("driftd.yaml:5:10"), "\(message)")
        #expect(message.contains("schema.types.mcc must be one of numeric, categorical, not 'text'"), "\(message)")
    }

    @Test func theFlattenDepthIsReadAndBounded() throws {
        #expect(try parse("  flatten_depth: 2\n").schema.flattenDepth == 2)
        #expect(try parse("  flatten_depth: 0\n").schema.flattenDepth == 0)
        #expect(try parse("  timezone: null\n").schema.flattenDepth == 4, "the default")
        let message = errors("  flatten_depth: 17\n")
        #expect(message.contains("driftd.yaml:4:18") && message.contains("schema.flatten_depth"), "\(message)")
    }

    @Test func timestampFormatVersionAndRequestIDAreReadAndAWrongFormatIsExplained() throws {
        let config = try parse(
            "  timestamp_format: \"%d/%b/%Y:%H:%M:%S %z\"\n  model_version: meta.version\n  request_id: req.id\n")
        #expect(config.schema.timestampFormat?.pattern == "%d/%b/%Y:%H:%M:%S %z")
        #expect(config.schema.modelVersion == "meta.version" && config.schema.requestID == "req.id")
        let none = try parse("  model_version: null\n  timestamp_format: ~\n")
        #expect(none.schema.modelVersion == nil && none.schema.timestampFormat == nil)
        let message = errors("  timestamp_format: \"%H:%M:%S\"\n")
        #expect(message.contains("driftd.yaml:4:21"), "\(message)")
        #expect(message.contains("needs a year (%Y)"), "\(message)")
        #expect(errors("  timestamp_format: \"%Y %Q\"\n").contains("%Q is not a directive driftd reads"))
        #expect(!errors("  model_version: \"\"\n").isEmpty)
    }

    @Test func forAndKeepFiringForTakeCountsOrDurations() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                inputs: [{path: a}]
                rules:
                  - {alert: A, expr: "psi > 0.2", for: 15m, keep_firing_for: 5m}
                  - {alert: B, expr: "psi > 0.2", for: 3}
                """, file: Self.file)
        #expect(config.rules[0].forDuration == 900_000_000_000 && config.rules[0].keepFiringDuration == 300_000_000_000)
        #expect(config.rules[1].forWindows == 3 && config.rules[1].forDuration == nil)
        do {
            _ = try ConfigLoader.parse(
                yaml: "inputs: [{path: a}]\nrules: [{alert: A, expr: \"psi > 0.2\", for: soon}]\n", file: Self.file)
            Issue.record("accepted for: soon")
        } catch {
            let text = error.diagnostics.map(\.description).joined()
            #expect(text.contains("must be a number of windows (3) or a duration (15m"), "\(text)")
        }
    }
}
