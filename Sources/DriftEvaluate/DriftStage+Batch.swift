import Dispatch
import DriftStats

extension DriftStage {
    /// The reports of `windows`, in their order, made on up to `threads` threads at once.
    ///
    /// A window's summaries (its values sorted for quantiles, its top values ranked, drift measured) are the
    /// largest cost of closing it, and windows are independent of each other: a replay of 1,000 models closes
    /// hundreds together at each minute boundary, which one thread summarized while the other core waited.
    /// Each report is the one ``report(_:)`` makes, whatever the number of threads.
    public func reports(_ windows: [ClosedWindow], threads: Int) -> [WindowReport] {
        let threads = min(threads, windows.count)
        guard threads > 1 else { return windows.map(report) }
        var reports = [WindowReport?](repeating: nil, count: windows.count)
        reports.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                // Every thread its own indices (thread, thread + threads, …): each slot is written once.
                for i in stride(from: thread, to: windows.count, by: threads) {
                    slots.buffer[i] = report(windows[i])
                }
            }
        }
        return reports.map { $0! }
    }
}

/// The reports' slots, shared by the threads of ``DriftStage/reports(_:threads:)``: each writes its own indices
/// only, and the array outlives them (`concurrentPerform` returns when all are done).
private struct Slots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<WindowReport?>
}
