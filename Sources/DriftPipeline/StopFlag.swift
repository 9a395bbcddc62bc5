import Foundation

/// The daemon's stop request: set once by ``Daemon/stop()``, read between batches. A lock in a box of its own, not
/// an `Atomic` stored among the daemon's properties (see ``EndpointStateBox``).
final class StopFlag: @unchecked Sendable {  // `value` is only touched under `lock`
    private let lock = NSLock()
    private var value = false

    /// Sets the flag; returns whether it was set already.
    func set() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let was = value
        value = true
        return was
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
