import DriftAlerts
import DriftCore
import Foundation

/// Runs one hook on its own thread behind a bounded queue: ``offer(_:)`` never waits; when the queue is full
/// the events are dropped and counted.
public final class HookWorker: Sendable {
    public let hook: any Hook
    private let telemetry: Telemetry
    private let state = Locked<(queue: [[AlertEvent]], closed: Bool)>(([], false))
    private let signal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    public let capacity: Int

    public init(hook: any Hook, capacity: Int = 256, telemetry: Telemetry) {
        self.hook = hook
        self.capacity = capacity
        self.telemetry = telemetry
        let thread = Thread { [self] in self.loop() }
        thread.name = "driftd.hook.\(hook.name)"
        thread.start()
    }

    /// Queues a round of events for the hook; false (and counted) when the queue is full.
    @discardableResult
    public func offer(_ events: [AlertEvent]) -> Bool {
        guard !events.isEmpty else { return true }
        let accepted = state.withLock { s -> Bool in
            guard !s.closed, s.queue.count < capacity else { return false }
            s.queue.append(events)
            return true
        }
        if accepted { signal.signal() } else { HookDropped(hook: hook.name, events: events.count).emit(to: telemetry) }
        return accepted
    }

    /// Stops taking events and waits up to `timeout` for those queued to be delivered. What is still queued then
    /// is dropped (counted), and a delivery still running is terminated (an exec hook's program gets SIGTERM,
    /// then SIGKILL): after this returns — at most `timeout` plus about three seconds — nothing of the hook runs.
    /// With `terminate` false (a config reload), the worker is left to finish what is queued in the background.
    public func close(timeout: Span, terminate: Bool = true) {
        state.withLock { $0.closed = true }
        signal.signal()
        guard finished.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .timedOut, terminate else {
            return
        }
        let abandoned = state.withLock { s -> Int in
            defer { s.queue = [] }
            return s.queue.reduce(0) { $0 + $1.count }
        }
        if abandoned > 0 { HookDropped(hook: hook.name, events: abandoned).emit(to: telemetry) }
        hook.terminate()
        _ = finished.wait(timeout: .now() + .seconds(3))
    }

    private func loop() {
        while true {
            signal.wait()
            while let events = state.withLock({ s -> [AlertEvent]? in s.queue.isEmpty ? nil : s.queue.removeFirst() }) {
                do {
                    try hook.deliver(events)
                    HookDelivered(hook: hook.name, events: events.count).emit(to: telemetry)
                } catch {
                    HookFailed(hook: hook.name, error: error).emit(to: telemetry)
                }
            }
            if state.withLock({ $0.closed && $0.queue.isEmpty }) {
                finished.signal()
                return
            }
        }
    }
}
