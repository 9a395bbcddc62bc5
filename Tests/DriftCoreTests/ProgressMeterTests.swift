import DriftCore
import Testing

@Suite struct ProgressMeterTests {
    @Test func theLineSaysShareSizeRateAndETA() {
        let line = ProgressMeter.format(
            label: "replay", doneBytes: 25_000_000, totalBytes: 100_000_000, records: 50_000,
            elapsed: 2)
        #expect(line == "replay: 25% of 100.0 MB, 50000 records, 25000 records/s, ETA 6s")
    }

    @Test func noETABeforeOnePercentNorAtTheEnd() {
        #expect(
            !ProgressMeter.format(label: "x", doneBytes: 5, totalBytes: 1000, records: 1, elapsed: 1).contains("ETA"))
        let end = ProgressMeter.format(label: "x", doneBytes: 1000, totalBytes: 1000, records: 1, elapsed: 1)
        #expect(end.contains("100%") && !end.contains("ETA"))
    }

    @Test func linesAreRateLimited() {
        var m = ProgressMeter(label: "x", totalBytes: 100, startedAt: 0)
        #expect(m.sample(doneBytes: 1, records: 1, now: 100_000_000) == nil, "too soon after the start")
        #expect(m.sample(doneBytes: 10, records: 1, now: 600_000_000) != nil)
        #expect(m.sample(doneBytes: 20, records: 1, now: 900_000_000) == nil)
        #expect(m.sample(doneBytes: 30, records: 1, now: 1_100_000_000) != nil)
    }
}
