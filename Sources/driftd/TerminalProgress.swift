import DriftCore
import DriftPipeline
import Foundation

/// Shows a `ProgressMeter` line on standard error, rewritten in place, only when standard error is a terminal:
/// logs, pipes and journald see nothing of it.
final class TerminalProgress {
    private let label: String
    private let startedAt = Telemetry.monotonicNanoseconds()
    /// Made at the first sample, which brings the input's total size.
    private var meter: ProgressMeter?
    private var shown = false

    /// Nil when standard error is not a TTY.
    init?(label: String) {
        guard isatty(2) == 1 else { return nil }
        self.label = label
    }

    func update(_ s: InputProgress.Sample) {
        var m = meter ?? ProgressMeter(label: label, totalBytes: s.totalBytes, startedAt: startedAt)
        defer { meter = m }
        guard let line = m.sample(doneBytes: s.doneBytes, records: s.records, now: Telemetry.monotonicNanoseconds())
        else { return }
        FileHandleStderr.write("\r\u{1B}[K" + line)
        shown = true
    }

    /// Clears the line before the closing summary is printed.
    func finish() {
        if shown { FileHandleStderr.write("\r\u{1B}[K") }
        shown = false
    }
}
