import DriftCore
import DriftEvaluate
import DriftStats
import Testing

/// The rate changes against the reference, computed exactly: a window's missing and invalid values per record,
/// minus the reference's.
@Suite struct DriftEvaluatorTests {
    @Test func invalidAndMissingRateChangesAreTheWindowsRatesMinusTheReferences() throws {
        // Reference: 1,000 records, 900 numbers, 30 strings (invalid), 70 missing.
        let reference = FeatureReference(type: .numeric, records: 1000, count: 900, missing: 70, invalid: 30)
        // Window: 200 records, 120 numbers, 50 strings, 5 arrays (invalid), 25 missing.
        var a = FeatureAccumulator()
        for i in 0..<120 { a.addNumber(Double(i)) }
        for i in 0..<50 { a.addCategory("id-\(i)") }
        for _ in 0..<5 { a.addStructured() }
        let d = DriftEvaluator.measure(a, records: 200, reference: reference)
        #expect(d.invalidRateChange == 55.0 / 200.0 - 30.0 / 1000.0)
        #expect(d.missingRateChange == 25.0 / 200.0 - 70.0 / 1000.0)
        // The same window against a categorical reference: the numbers are the invalid values.
        let categorical = FeatureReference(type: .categorical, records: 1000, count: 1000, missing: 0, invalid: 0)
        #expect(DriftEvaluator.measure(a, records: 200, reference: categorical).invalidRateChange == 125.0 / 200.0)
    }
}
