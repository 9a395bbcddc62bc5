import Dispatch

/// A first-in first-out hand-over between threads that holds at most `capacity` items: a producer that runs ahead
/// waits (backpressure), so memory does not grow with the input's rate.
public final class BoundedQueue<Element: Sendable>: Sendable {
    private let items = Locked<[Element?]>([])
    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)

    public init(capacity: Int) {
        free = DispatchSemaphore(value: capacity)
    }

    /// Adds an item, waiting while the queue is full.
    public func put(_ element: Element) {
        free.wait()
        items.withLock { $0.append(element) }
        filled.signal()
    }

    /// Marks the end: ``take()`` returns nil once the items before it are taken.
    public func close() {
        free.wait()
        items.withLock { $0.append(nil) }
        filled.signal()
    }

    /// The next item, waiting for one; nil after ``close()``.
    public func take() -> Element? {
        filled.wait()
        let element = items.withLock { $0.removeFirst() }
        free.signal()
        return element
    }
}
