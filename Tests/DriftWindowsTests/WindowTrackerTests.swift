import DriftCore
import DriftWindows
import Testing

@Suite struct WindowTrackerTests {
    static func t(_ s: String) -> EventTime { EventTime(rfc3339: s)! }
    static func start(_ s: String) -> Int64 { t(s).nanoseconds }

    @Test func windowsAreAlignedToTheEpochInUTC() {
        let hour = WindowSpec(size: .seconds(3600))
        #expect(
            Array(hour.starts(containing: Self.t("2026-11-26T10:59:59.999Z"))) == [Self.start("2026-11-26T10:00:00Z")])
        let five = WindowSpec(size: .seconds(300))
        #expect(Array(five.starts(containing: Self.t("2026-11-26T10:07:30Z"))) == [Self.start("2026-11-26T10:05:00Z")])
        // Before 1970 too (negative nanoseconds round down, not toward zero).
        #expect(Array(five.starts(containing: Self.t("1969-12-31T23:58:00Z"))) == [Self.start("1969-12-31T23:55:00Z")])
    }

    @Test func aRecordExactlyOnABoundaryGoesToTheLaterWindow() {
        let spec = WindowSpec(size: .seconds(300))
        #expect(Array(spec.starts(containing: Self.t("2026-11-26T10:05:00Z"))) == [Self.start("2026-11-26T10:05:00Z")])
        #expect(
            Array(spec.starts(containing: Self.t("2026-11-26T10:04:59.999999999Z"))) == [
                Self.start("2026-11-26T10:00:00Z")
            ])
    }

    @Test func slidingWindowsHoldARecordSizeOverSlideTimes() {
        let spec = WindowSpec(size: .seconds(600), slide: .seconds(300))
        let starts = Array(spec.starts(containing: Self.t("2026-11-26T10:07:00Z")))
        #expect(starts == [Self.start("2026-11-26T10:00:00Z"), Self.start("2026-11-26T10:05:00Z")])
        #expect(spec.label == "10m/5m")
    }

    @Test func theWatermarkClosesWindowsAndLateRecordsAreDropped() {
        var tracker = WindowTracker(spec: WindowSpec(size: .seconds(300), allowedLateness: .seconds(60)))
        var p = tracker.place(Self.t("2026-11-26T10:01:00Z"))
        #expect(p == .init(windows: [Self.start("2026-11-26T10:00:00Z")], late: false, closed: []))
        // 10:05:59 leaves the watermark at 10:04:59: [10:00, 10:05) stays open.
        p = tracker.place(Self.t("2026-11-26T10:05:59Z"))
        #expect(p.closed.isEmpty)
        p = tracker.place(Self.t("2026-11-26T10:04:00Z"))
        #expect(p.windows == [Self.start("2026-11-26T10:00:00Z")], "within the allowed lateness")
        // 10:06:00 puts the watermark on 10:05:00, the end of the first window: it closes.
        p = tracker.place(Self.t("2026-11-26T10:06:00Z"))
        #expect(p.closed == [Self.start("2026-11-26T10:00:00Z")])
        p = tracker.place(Self.t("2026-11-26T10:04:59Z"))
        #expect(p == .init(windows: [], late: true, closed: []))
        #expect(tracker.newestOpen == Self.start("2026-11-26T10:05:00Z"))
        #expect(tracker.closeAll() == [Self.start("2026-11-26T10:05:00Z")])
    }

    @Test func aJumpInEventTimeClosesEveryWindowItPasses() {
        var tracker = WindowTracker(spec: WindowSpec(size: .seconds(60), allowedLateness: .seconds(600)))
        for m in 0..<5 { _ = tracker.place(Self.t("2026-11-26T10:0\(m):30Z")) }
        #expect(tracker.open.count == 5)
        let p = tracker.place(Self.t("2026-11-26T11:00:00Z"))  // watermark 10:50
        #expect(p.closed == (0..<5).map { Self.start("2026-11-26T10:0\($0):00Z") })
        #expect(tracker.open == [Self.start("2026-11-26T11:00:00Z")])
    }

    @Test func outOfOrderRecordsOpenWindowsInOrder() {
        var tracker = WindowTracker(spec: WindowSpec(size: .seconds(60), allowedLateness: .seconds(600)))
        _ = tracker.place(Self.t("2026-11-26T10:05:00Z"))
        _ = tracker.place(Self.t("2026-11-26T10:01:00Z"))
        _ = tracker.place(Self.t("2026-11-26T10:03:00Z"))
        _ = tracker.place(Self.t("2026-11-26T10:01:30Z"))
        #expect(tracker.open == ["10:01", "10:03", "10:05"].map { Self.start("2026-11-26T\($0):00Z") })
    }

    @Test func slidingWindowsTakeALateRecordWhereTheyStillCan() {
        var tracker = WindowTracker(spec: WindowSpec(size: .seconds(600), slide: .seconds(300), allowedLateness: .zero))
        _ = tracker.place(Self.t("2026-11-26T10:02:00Z"))
        let p1 = tracker.place(Self.t("2026-11-26T10:10:00Z"))  // watermark 10:10 closes [10:00, 10:10)
        #expect(p1.closed == [Self.start("2026-11-26T09:55:00Z"), Self.start("2026-11-26T10:00:00Z")])
        let p2 = tracker.place(Self.t("2026-11-26T10:07:00Z"))  // [10:00,10:10) closed, [10:05,10:15) open
        #expect(p2 == .init(windows: [Self.start("2026-11-26T10:05:00Z")], late: false, closed: []))
    }

    /// `2262-04-11T23:47:16Z` made a window's end overflow: with event times before 2262 and spans of at most
    /// 100 days, the largest windows at both edges of the years place, close and end without a trap.
    @Test func theLargestWindowsAtTheEdgesOfTheYearsDoNotOverflow() {
        let longest = EventTime.maxSpan
        for spec in [
            WindowSpec(size: longest, allowedLateness: longest),
            WindowSpec(size: longest, slide: Span(nanoseconds: longest.nanoseconds / 1000), allowedLateness: longest),
        ] {
            var tracker = WindowTracker(spec: spec)
            let last = EventTime(nanoseconds: EventTime.end.nanoseconds - 1)
            for t in [EventTime.earliest, last, EventTime.earliest] {
                let placed = tracker.place(t)
                for start in placed.windows { #expect(tracker.end(of: start) > t) }
            }
            let closed = tracker.closeAll()
            #expect(!closed.isEmpty)
            #expect(closed.allSatisfy { tracker.end(of: $0).nanoseconds > $0 })
        }
    }
}
