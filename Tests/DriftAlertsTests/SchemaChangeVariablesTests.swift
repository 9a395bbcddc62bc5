import DriftAlerts
import DriftCore
import DriftStats
import Testing

/// The measures that name a schema change: `type_changed` per feature, `new_features` per window.
@Suite struct SchemaChangeVariablesTests {
    static func summary(numbers: Int, categories: Int, as type: FeatureType) -> FeatureSummary {
        var a = FeatureAccumulator()
        for i in 0..<numbers { a.addNumber(Double(i)) }
        for i in 0..<categories { a.addCategory("c\(i)") }
        return FeatureSummary(feature: "f", type: type, accumulator: a, records: numbers + categories + 1)
    }

    static func value(_ name: String, _ f: FeatureSummary?, newFeatures: [String]? = nil) -> Double? {
        var report = WindowReport(
            model: "m", window: "1m", start: EventTime(nanoseconds: 0), end: EventTime(nanoseconds: 60_000_000_000),
            records: 10, late: 0, rejected: 0, features: f.map { [$0] } ?? [])
        report.newFeatures = newFeatures
        return AlertVariables.value(name, report: report, feature: f, thresholds: [:])
    }

    @Test func typeChangedWhenMostValuesAreOfTheOtherType() {
        let flipped = Self.summary(numbers: 1, categories: 3, as: .numeric)
        #expect(flipped.observedType == .categorical && flipped.typeChanged)
        #expect(Self.value("type_changed", flipped) == 1)
        // A minority of strings is invalid values, not a change of type; a tie reads as numeric.
        #expect(Self.value("type_changed", Self.summary(numbers: 3, categories: 1, as: .numeric)) == 0)
        #expect(Self.value("type_changed", Self.summary(numbers: 2, categories: 2, as: .numeric)) == 0)
        #expect(Self.value("type_changed", Self.summary(numbers: 2, categories: 2, as: .categorical)) == 1)
        // No value at all: nothing observed, nothing changed.
        let empty = Self.summary(numbers: 0, categories: 0, as: .categorical)
        #expect(empty.observedType == nil && Self.value("type_changed", empty) == 0)
    }

    @Test func newFeaturesCountsWhatTheReferenceLacksAndIsAbsentWithoutOne() {
        #expect(Self.value("new_features", nil, newFeatures: ["a", "b"]) == 2)
        #expect(Self.value("new_features", nil, newFeatures: []) == 0)
        #expect(Self.value("new_features", nil) == nil, "no reference: nothing to compare with")
        #expect(AlertVariables.windowNames.contains("new_features"))
    }
}
