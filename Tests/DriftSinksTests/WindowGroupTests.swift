import DriftAlerts
import DriftCore
import DriftSinks
import DriftStats
import Foundation
import Testing

/// A window's lines encoded into one buffer, with the members every line shares encoded once: the same lines, in
/// the same order, as encoding each line on its own.
@Suite struct WindowGroupTests {
    static func report() -> WindowReport {
        var amount = FeatureAccumulator()
        for x in [0.21863797480360336, -3.5, 1e-7, 42] { amount.addNumber(x) }
        var merchant = FeatureAccumulator()
        for v in ["m\"1", "line\nbreak", "m\"1", "ünïcode"] { merchant.addCategory(v) }
        var report = WindowReport(
            model: "fraud \"v3\"", window: "1m", start: EventTime(seconds: 1_795_651_200),
            end: EventTime(seconds: 1_795_651_260), records: 4, late: 1, rejected: 2,
            features: [
                FeatureSummary(feature: "amount", type: .numeric, accumulator: amount, records: 4),
                FeatureSummary(feature: "merchant", type: .categorical, accumulator: merchant, records: 4),
            ])
        report.modelVersion = "2026-11\\a"
        return report
    }

    static func alert(_ transition: AlertEvent.Transition, feature: String) -> AlertEvent {
        let alert = Alert(
            status: transition == .resolved ? .resolved : .firing,
            labels: ["alertname": "FeatureDrift", "model": "fraud \"v3\"", "feature": feature, "window": "1m"],
            annotations: ["summary": "\(feature) drifted"], startsAt: EventTime(seconds: 1_795_651_260),
            endsAt: transition == .resolved ? EventTime(seconds: 1_795_651_260) : nil,
            windowStart: EventTime(seconds: 1_795_651_200), windowEnd: EventTime(seconds: 1_795_651_260), value: 0.31,
            threshold: 0.2)
        return AlertEvent(transition: transition, alert: alert)
    }

    @Test func theGroupIsEachLineEncodedOnItsOwnInOrder() throws {
        let report = Self.report()
        let alerts = [
            Self.alert(.fired, feature: "amount"), Self.alert(.stillFiring, feature: "age"),
            Self.alert(.resolved, feature: "merchant"),
        ]
        let group = MetricLineEncoder.group(for: report, alerts: alerts)
        let oneByOne =
            report.features.flatMap { MetricLineEncoder.featureLine($0, of: report) }
            + MetricLineEncoder.alertLine(alerts[0]) + MetricLineEncoder.alertLine(alerts[2])
            + MetricLineEncoder.windowLine(report)
        #expect(group == oneByOne)
        #expect(MetricLineEncoder.lines(for: report, alerts: alerts).flatMap { $0 } == group)

        let objects = try MetricLineEncoder.lines(for: report, alerts: alerts).map {
            try #require(JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
        #expect(objects.map { $0["kind"] as? String } == ["feature", "feature", "alert", "alert", "window"])
        let windowLines = objects.filter { $0["kind"] as? String != "alert" }
        #expect(windowLines.allSatisfy { $0["model"] as? String == "fraud \"v3\"" })
        #expect(windowLines.allSatisfy { $0["model_version"] as? String == "2026-11\\a" })
        #expect(windowLines.allSatisfy { $0["window_start"] as? String == "2026-11-26T00:00:00Z" })
        let top = try #require(objects[1]["top"] as? [[String: Any]])
        #expect(Set(top.compactMap { $0["value"] as? String }) == ["m\"1", "line\nbreak", "ünïcode"])
        #expect(objects[0]["min"] as? Double == -3.5)
    }

    @Test func aWindowOfNoFeaturesIsItsWindowLine() {
        var report = Self.report()
        report.features = []
        #expect(MetricLineEncoder.group(for: report, alerts: []) == MetricLineEncoder.windowLine(report))
    }
}
