import DriftAggregate
import DriftCore
import DriftRecords
import DriftStats
import DriftTestSupport
import DriftWindows
import Testing

/// `schema.types` decides a feature's type in its windows: integer ids summarized as categories (top values,
/// distinct), numbers sent as strings summarized as numbers; features it does not name are inferred as before.
@Suite struct TypeOverrideWindowTests {
    @Test func theGivenTypeIsTheWindowsType() throws {
        var schema = RecordSchema.default
        schema.types = ["mcc": .categorical, "amount": .numeric]
        var a = Aggregator(
            schema: schema, windows: [WindowSpec(size: .seconds(60))], telemetry: quietTelemetry(), shards: 2)
        let codes = [5014, 5014, 5411, 5014, 7011, 5411]
        let lines = codes.enumerated().map { i, code in
            #"{"ts": \#(1_795_651_200 + i), "features": {"mcc": \#(code), "amount": "\#(Double(i) + 0.5)", "n": \#(i)}}"#
        }
        var closed: [WindowReport] = []
        a.add(lineBatch(lines), closed: &closed)
        a.closeAll(into: &closed)
        let window = try #require(closed.first)
        let mcc = try #require(window.features.first { $0.feature == "mcc" })
        #expect(mcc.type == .categorical && mcc.count == 6 && mcc.invalid == 0)
        #expect(mcc.distinct == 3)
        #expect(mcc.top.map { "\($0.value)=\($0.count)" } == ["5014=3", "5411=2", "7011=1"])
        let amount = try #require(window.features.first { $0.feature == "amount" })
        #expect(amount.type == .numeric && amount.count == 6 && amount.invalid == 0)
        #expect(amount.mean == 3.0 && amount.min == 0.5 && amount.max == 5.5)
        let n = try #require(window.features.first { $0.feature == "n" })
        #expect(n.type == .numeric && n.count == 6)
    }
}
