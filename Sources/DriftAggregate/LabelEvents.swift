import DriftCore
import DriftRecords
import Logging

/// A line of a `labels:` input that is not a usable label: counted by reason and logged (rate-limited).
struct LabelRejected: InternalEvent {
    var source: String
    var line: LineBatch.Line?
    var reason: Reason

    enum Reason {
        case record(RejectReason)
        case missing(String)

        var code: String {
            switch self {
            case .record(let r): r.code
            case .missing(let field): "no_\(field)"
            }
        }
    }

    func emit(to t: Telemetry) {
        t.increment("labels_rejected_total", labels: [("reason", reason.code)])
        var metadata: Logger.Metadata = ["file": "\(source)"]
        if let line { metadata["line"] = .stringConvertible(line.number) }
        let why =
            switch reason {
            case .record(let r): "\(r)"
            case .missing(let field): "it has no \(field)"
            }
        t.logLimited(.warning, key: "labels:\(source)", "label line rejected: \(why)", metadata: metadata)
    }
}

/// What the label join did in a batch: labels joined, given up, duplicated, and the buffer's size.
struct LabelsJoined: InternalEvent {
    var before: LabelJoin.Counts
    var after: LabelJoin.Counts
    var pending: Int

    func emit(to t: Telemetry) {
        let joined = after.joined - before.joined
        if joined > 0 { t.increment("labels_joined_total", by: joined) }
        let unmatched = after.labelsUnmatched - before.labelsUnmatched
        if unmatched > 0 { t.increment("labels_unmatched_total", by: unmatched) }
        let duplicate = after.labelsDuplicate - before.labelsDuplicate
        if duplicate > 0 { t.increment("labels_duplicate_total", by: duplicate) }
        let overflow = after.overflow - before.overflow
        if overflow > 0 {
            t.increment("label_join_overflow_total", by: overflow)
            t.logLimited(
                .warning, key: "label-join-overflow",
                "the label join is full (labels.max_pending): the oldest waiting predictions and labels are given up",
                metadata: ["given_up": .stringConvertible(overflow)])
        }
        t.set("label_join_pending", Double(pending))
    }
}
