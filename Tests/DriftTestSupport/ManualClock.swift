import Synchronization

/// A clock tests move by hand (monotonic nanoseconds), for timeouts without sleeping.
public final class ManualClock: Sendable {
    private let value = Mutex<Int64>(0)

    public init() {}

    public var now: Int64 { value.withLock { $0 } }

    public func advance(seconds: Int64) {
        value.withLock { $0 += seconds * 1_000_000_000 }
    }

    /// The clock as the closure the code under test takes.
    public var read: @Sendable () -> Int64 { { [self] in self.now } }
}
