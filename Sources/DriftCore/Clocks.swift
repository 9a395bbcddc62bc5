/// The two clocks driftd reads, injected at the top so that tests drive time by hand: monotonic nanoseconds (for
/// intervals and timeouts: idle windows, checkpoints, rotation waits) and wall-clock nanoseconds since the epoch
/// (for alert times, `limits.max_future`, rolled file names).
public struct Clocks: Sendable {
    public var monotonic: @Sendable () -> Int64
    public var wall: @Sendable () -> Int64

    public init(monotonic: @escaping @Sendable () -> Int64, wall: @escaping @Sendable () -> Int64) {
        self.monotonic = monotonic
        self.wall = wall
    }

    /// The machine's clocks.
    public static let system = Clocks(monotonic: Telemetry.monotonicNanoseconds, wall: Telemetry.wallClockNanoseconds)
}
