import DriftCore
import DriftRecords
import Testing

/// `schema.types`: integer ids read as categories, numbers sent as strings read as numbers.
@Suite struct TypeOverrideTests {
    static func values(_ line: String, types: [String: FeatureType]) -> [String: RecordMapperTests.Value] {
        var schema = RecordSchema.default
        schema.types = types
        let mapped = RecordMapperTests()
        let (record, reason) = mapped.map(line, schema: schema)
        #expect(reason == nil)
        return mapped.values(record)
    }

    @Test func anIntegerIdOfACategoricalFeatureIsTheCategoryOfItsText() {
        let v = Self.values(
            #"{"ts": 1795651200, "features": {"mcc": 5014, "code": 7.50, "amount": 5014, "zip": "02139"}}"#,
            types: ["mcc": .categorical, "code": .categorical])
        #expect(v["mcc"] == .category("5014"))
        #expect(v["code"] == .category("7.50"), "as written, not as the double prints")
        #expect(v["amount"] == .number(5014), "not named: inferred")
        #expect(v["zip"] == .category("02139"))
    }

    @Test func aNumberSentAsAStringOfANumericFeatureIsThatNumber() {
        let v = Self.values(
            #"{"ts": 1795651200, "features": {"a": "12.5", "b": "-3e2", "c": " 5", "d": "0x10", "e": "n/a", "f": "", "g": 7, "h": null}}"#,
            types: [
                "a": .numeric, "b": .numeric, "c": .numeric, "d": .numeric, "e": .numeric, "f": .numeric, "g": .numeric,
                "h": .numeric,
            ])
        #expect(v["a"] == .number(12.5))
        #expect(v["b"] == .number(-300))
        #expect(v["c"] == .category(" 5") && v["d"] == .category("0x10") && v["e"] == .category("n/a"))
        #expect(v["f"] == .category(""))
        #expect(v["g"] == .number(7) && v["h"] == .null)
    }
}
