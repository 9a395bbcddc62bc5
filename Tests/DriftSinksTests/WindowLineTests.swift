import DriftCore
import DriftSinks
import DriftStats
import Foundation
import Testing

/// What a window line says of features the reference lacks, within its size bound.
@Suite struct WindowLineTests {
    static func line(_ new: [String]?) throws -> [String: Any] {
        var report = WindowReport(
            model: "m", window: "1m", start: EventTime(nanoseconds: 0), end: EventTime(nanoseconds: 60_000_000_000),
            records: 10, late: 0, rejected: 0, features: [])
        report.newFeatures = new
        let bytes = MetricLineEncoder.windowLine(report)
        #expect(bytes.count < 32 * 1024)
        return try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func newFeaturesAreNamedUpToTheCapAndAllCounted() throws {
        let names = (0..<25).map { String(format: "%02d", $0) + String(repeating: "n", count: 250) }
        let capped = try Self.line(names)
        #expect(capped["new_feature_count"] as? Int == 25)
        #expect(capped["new_features"] as? [String] == Array(names.prefix(MetricLineEncoder.maxNewFeatures)))
        let none = try Self.line([])
        #expect(none["new_feature_count"] as? Int == 0 && none["new_features"] as? [String] == [])
        let withoutReference = try Self.line(nil)
        #expect(withoutReference["new_features"] == nil && withoutReference["new_feature_count"] == nil)
    }
}
