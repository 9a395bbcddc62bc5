import DriftAlerts
import DriftCore
import DriftStats
import Testing

/// `for` and `keep_firing_for` as durations, as Prometheus users write them: whole slides, rounded up.
@Suite struct RuleDurationTests {
    static func report(_ i: Int64, minutes: Int64 = 5) -> WindowReport {
        let size = minutes * 60_000_000_000
        return WindowReport(
            model: "m", window: "\(minutes)m", start: EventTime(nanoseconds: i * size),
            end: EventTime(nanoseconds: (i + 1) * size), records: 10, late: 0, rejected: 0, features: [])
    }

    @Test func durationsCountWholeSlidesRoundedUp() throws {
        var rule = try AlertRule(name: "R", expr: "records > 0")
        rule.forDuration = 15 * 60_000_000_000
        rule.keepFiringDuration = 60_000_000_000
        let fiveMinutes: Int64 = 5 * 60_000_000_000
        #expect(rule.windows(slide: fiveMinutes) == (3, 1))
        #expect(rule.windows(slide: 4 * 60_000_000_000) == (4, 1), "15m of 4m slides: 3.75, rounded up")
        #expect(rule.windows(slide: 3_600_000_000_000) == (1, 1), "at least one window")
        var counted = try AlertRule(name: "C", expr: "records > 0", forWindows: 2)
        counted.keepFiringFor = 0
        #expect(counted.windows(slide: fiveMinutes) == (2, 0), "counts stay counts")
    }

    @Test func aTenMinuteForFiresOnTheSecondFiveMinuteWindow() throws {
        var rule = try AlertRule(name: "R", expr: "records > 0")
        rule.forDuration = 10 * 60_000_000_000
        var engine = AlertEngine(rules: [rule])
        let first = engine.evaluate(
            Self.report(0), minCount: 0, thresholds: { _ in [:] }, now: EventTime(nanoseconds: 0))
        #expect(first.isEmpty, "pending after one window")
        let second = engine.evaluate(
            Self.report(1), minCount: 0, thresholds: { _ in [:] }, now: EventTime(nanoseconds: 1))
        #expect(second.map(\.transition) == [.fired])
        // The same rule on one-minute windows that slide by one minute needs ten.
        var minutes = AlertEngine(rules: [rule])
        var fired = 0
        for i in 0..<10 {
            let events = minutes.evaluate(
                Self.report(Int64(i), minutes: 1), minCount: 0, thresholds: { _ in [:] }, now: EventTime(nanoseconds: 0)
            )
            if events.contains(where: { $0.transition == .fired }) { fired = i + 1 }
        }
        #expect(fired == 10)
    }
}
