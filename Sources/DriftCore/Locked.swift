import Foundation

/// A value behind a lock, in a box of its own: the shared state of a class. Swift 6.3.1 on Linux miscompiled a
/// `Mutex` stored among a class's properties in release builds (the daemon's initializer wrote 8 bytes past the
/// object, depending on the sizes of the properties before it); a box keeps the lock out of the object's layout.
public final class Locked<Value>: @unchecked Sendable {  // `value` is only touched under `lock`
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value, the lock held.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
