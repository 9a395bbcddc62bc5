import DriftCore
import DriftWindows
import Testing

@Suite struct WindowSpecCompositionTests {
    static func spec(_ minutes: Int, lateness: Int = 60, idle: Int = 30, slide: Int? = nil) -> WindowSpec {
        WindowSpec(
            size: .seconds(Int64(minutes) * 60), slide: slide.map { .seconds(Int64($0) * 60) },
            allowedLateness: .seconds(Int64(lateness)), idleTimeout: .seconds(Int64(idle)))
    }

    @Test func finerTumblingWindowsListedFirstFeedTheNextCoarserSize() {
        #expect(WindowSpec.feeds([Self.spec(1), Self.spec(5)]) == [1, nil])
        #expect(WindowSpec.feeds([Self.spec(1), Self.spec(5), Self.spec(60)]) == [1, 2, nil])
        // Each size is fed by the largest finer one: 5m feeds 1h, not 1m (which feeds 5m).
        #expect(WindowSpec.feeds([Self.spec(1), Self.spec(60), Self.spec(5)]) == [2, nil, nil])
        #expect(
            WindowSpec.feeds([Self.spec(5), Self.spec(1)]) == [nil, nil], "a coarser size listed first closes first")
    }

    @Test func windowsThatDoNotNestOrCloseLaterFeedNothing() {
        #expect(WindowSpec.feeds([Self.spec(2), Self.spec(7)]) == [nil, nil], "7m is not made of 2m windows")
        #expect(WindowSpec.feeds([Self.spec(1), Self.spec(5, slide: 1)]) == [nil, nil], "sliding")
        #expect(WindowSpec.feeds([Self.spec(2, slide: 1), Self.spec(10)]) == [nil, nil], "sliding")
        #expect(WindowSpec.feeds([Self.spec(1, lateness: 120), Self.spec(5, lateness: 60)]) == [nil, nil])
        #expect(WindowSpec.feeds([Self.spec(1, idle: 60), Self.spec(5, idle: 30)]) == [nil, nil])
        #expect(WindowSpec.feeds([Self.spec(5), Self.spec(5)]) == [nil, nil])
        #expect(WindowSpec.feeds([Self.spec(1, lateness: 30), Self.spec(5, lateness: 180)]) == [1, nil])
    }
}
