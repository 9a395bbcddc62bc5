import DriftCore
import DriftStats
import Yams

/// `labels:` and `performance:` (DESIGN §12).
extension ConfigLoader {
    static func readLabels(_ node: Node, _ r: ConfigReader, _ base: String) -> DriftConfig.LabelInput? {
        let m = r.mapping(node, at: "labels[]", allowed: knownKeys["labels[]"]!)
        guard let path = r.nonEmptyString(m["path"], at: "labels[].path") else {
            if m["path"] == nil {
                r.report(node, "each labels entry needs a path: a glob of JSON lines {request_id, actual, ts}")
            }
            return nil
        }
        guard path != "-" else {
            r.report(m["path"], "labels[].path cannot be standard input (it holds the predictions); give a glob")
            return nil
        }
        var labels = DriftConfig.LabelInput(input: .init(path: resolve(path, base)))
        if let startAt = r.oneOf(m["start_at"], at: "labels[].start_at", DriftConfig.Input.StartAt.self) {
            labels.input.startAt = startAt
        }
        if let delay = r.span(m["max_delay"], at: "labels[].max_delay", maximum: .seconds(400 * 86_400)) {
            labels.maxDelay = delay
        }
        return labels
    }

    static func readPerformance(_ node: Node, _ r: ConfigReader) -> PerformanceSpec {
        let m = r.mapping(node, at: "performance", allowed: knownKeys["performance"]!)
        var spec = PerformanceSpec()
        if let task = m["task"], task.null == nil, let text = r.nonEmptyString(task, at: "performance.task") {
            switch text {
            case "binary": spec.task = .binary
            case "regression": spec.task = .regression
            default:
                r.report(task, "performance.task must be binary or regression, not '\(text)'; leave it out to infer it")
            }
        }
        if let node = m["positive_label"], node.null == nil,
            let label = r.nonEmptyString(node, at: "performance.positive_label")
        {
            spec.classes = PositiveClass(label: label)
        }
        return spec
    }
}
