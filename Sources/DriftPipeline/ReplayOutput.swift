import Dispatch
import DriftCore
import DriftStats

/// Replay's windows, evaluated against the rules and written on a thread of their own, in the order they close:
/// the thread that aggregates goes on with the next batch meanwhile. With a thousand models a window closes every
/// hundred records, and writing them had been a fifth of that thread's time. The windows go over ``chunk`` at a
/// time: handing each over on its own woke the output thread 11,000 times for 1,000 models. At most ``limit``
/// windows wait (and a chunk being filled), so that a slow disk holds the aggregation back instead of the memory
/// growing.
final class ReplayOutput: @unchecked Sendable {
    // `counts` and `error` are touched on `queue` only; `pending` on the aggregating thread only.
    /// What the written windows add to replay's summary.
    struct Counts {
        var windows = 0
        var late = 0
        var alertsFired = 0
        var alertsResolved = 0
    }

    static let limit = 256
    /// Windows handed to the output thread together.
    static let chunk = 32

    private let queue = DispatchQueue(label: "driftd.replay.output")
    private let room = DispatchSemaphore(value: ReplayOutput.limit / ReplayOutput.chunk)
    private let output: OutputStage
    private let notify: Bool
    private let failedFlag = StopFlag()
    private var counts = Counts()
    private var error: DriftError?
    private var pending: [WindowReport] = []

    init(_ output: OutputStage, notify: Bool) {
        self.output = output
        self.notify = notify
    }

    /// True once a write failed: the windows after it are not written, and aggregating them is wasted.
    var failed: Bool { failedFlag.isSet }

    /// Queues `report`; when it fills a chunk, hands the chunk over, waiting while ``limit`` windows are waiting.
    func submit(_ report: WindowReport) {
        pending.append(report)
        if pending.count == Self.chunk { flush() }
    }

    /// Hands the windows queued so far to the output thread.
    private func flush() {
        guard !pending.isEmpty else { return }
        let reports = pending
        pending.removeAll(keepingCapacity: true)
        room.wait()
        queue.async { [self] in
            defer { room.signal() }
            for report in reports { write(report) }
        }
    }

    private func write(_ report: WindowReport) {
        guard error == nil else { return }
        counts.windows += 1
        counts.late += report.late
        // Replayed history: alerts are timed by the windows' event time, so the output is reproducible.
        let alerts = output.evaluate(report, now: report.end, notify: notify)
        counts.alertsFired += alerts.filter { $0.transition == .fired }.count
        counts.alertsResolved += alerts.filter { $0.transition == .resolved }.count
        do throws(DriftError) {
            try output.rollIfDue()
            try output.write(report, alerts: alerts)
        } catch {
            self.error = error
            _ = failedFlag.set()
        }
    }

    /// Waits for every queued window; then the counts and the first error.
    func finish() -> (Counts, DriftError?) {
        flush()
        return queue.sync { (counts, error) }
    }
}
