/// The progress line of a long run over files: share of the input bytes, records per second, ETA. Pure: the
/// caller passes the time and decides where the line goes (a terminal only; nothing when not a TTY).
public struct ProgressMeter: Sendable {
    public let label: String
    public let totalBytes: Int64
    public let startedAt: Int64
    /// At most one line per this many nanoseconds.
    public var interval: Int64 = 500_000_000
    private var lastShown: Int64

    public init(label: String, totalBytes: Int64, startedAt: Int64) {
        self.label = label
        self.totalBytes = totalBytes
        self.startedAt = startedAt
        lastShown = startedAt
    }

    /// The line to show for `doneBytes` of `totalBytes` and `records` so far at monotonic time `now`, or nil when
    /// the last line is recent enough.
    public mutating func sample(doneBytes: Int64, records: Int, now: Int64) -> String? {
        guard now - lastShown >= interval else { return nil }
        lastShown = now
        return Self.format(
            label: label, doneBytes: doneBytes, totalBytes: totalBytes, records: records,
            elapsed: Double(now - startedAt) / 1e9)
    }

    public static func format(label: String, doneBytes: Int64, totalBytes: Int64, records: Int, elapsed: Double)
        -> String
    {
        let done = min(max(doneBytes, 0), totalBytes)
        let share = totalBytes > 0 ? Double(done) / Double(totalBytes) : 0
        var line = "\(label): \(Int(share * 100))% of \(megabytes(totalBytes)), \(records) records"
        if elapsed > 0 { line += ", \(Int(Double(records) / elapsed)) records/s" }
        if share > 0.01, share < 1 {
            line += ", ETA \(Int((elapsed * (1 - share) / share).rounded(.up)))s"
        }
        return line
    }

    static func megabytes(_ bytes: Int64) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
