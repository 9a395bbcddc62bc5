import DriftCore
import DriftGenerate
import Foundation

/// The demo's inference server: writes synthetic records to a zstd log at a fixed wall-clock pace, rotating by
/// rename as logrotate would, on its own thread.
final class LiveWriter: Sendable {
    let path: String
    let records: Int
    let perSecond: Double
    let rotateEvery: Int
    /// The generator's starting state; `run` advances a copy of it.
    private let log: SyntheticLog
    let finished = Locked(false)
    /// Set to end the run early (the demo was interrupted).
    let cancelled = Locked(false)
    let error = Locked<String?>(nil)

    init(path: String, log: SyntheticLog, records: Int, perSecond: Double, rotateEvery: Int = 20_000) {
        self.path = path
        self.log = log
        self.records = records
        self.perSecond = perSecond
        self.rotateEvery = rotateEvery
    }

    func run() {
        defer { finished.withLock { $0 = true } }
        do {
            var o = LogFileWriter.Options()
            o.rotateEvery = rotateEvery
            o.frameLines = 500
            let writer = try LogFileWriter(path: path, options: o)
            var log = self.log
            let started = Telemetry.monotonicNanoseconds()
            var written = 0
            while written < records, !cancelled.withLock({ $0 }) {
                let elapsed = Double(Telemetry.monotonicNanoseconds() - started) / 1e9
                let due = min(records, Int(elapsed * perSecond))
                while written < due {
                    try writer.write(line: log.nextLine())
                    written += 1
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            try writer.close()
        } catch {
            self.error.withLock { $0 = error.message }
        }
    }
}
