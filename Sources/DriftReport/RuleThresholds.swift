import DriftAlerts

/// The thresholds the charts draw, taken from the rules in force (the shipped ones and custom ones): each
/// comparison of a measure with a number in a rule's expression, labelled with the rule's severity. A comparison
/// that holds only with another condition (`chi2_p < 0.05 and records < 1000`) keeps it, so the chart can say
/// where the line applies.
struct RuleThresholds {
    struct Line: Equatable {
        var measure: String
        var value: Double
        var label: String
        /// Conditions on the window's record count that the rule adds (`records < 1000`).
        var records: (op: RuleExpression.Operator, value: Double)?

        static func == (a: Line, b: Line) -> Bool {
            a.measure == b.measure && a.value == b.value && a.label == b.label
                && a.records?.op == b.records?.op && a.records?.value == b.records?.value
        }
    }

    var lines: [Line] = []

    init(rules: [AlertRule]) {
        for rule in rules {
            var found: [(String, Double)] = []
            var records: (RuleExpression.Operator, Double)?
            Self.collect(rule.expression, into: &found, records: &records)
            for (measure, value) in found where measure != "records" {
                let line = Line(measure: measure, value: value, label: rule.severity, records: records)
                if !lines.contains(line) { lines.append(line) }
            }
        }
    }

    static func collect(
        _ e: RuleExpression, into found: inout [(String, Double)], records: inout (RuleExpression.Operator, Double)?
    ) {
        switch e {
        case .compare(.variable(let m), let op, .number(let v)), .compare(.number(let v), let op, .variable(let m)):
            if m == "records" { records = (op, v) } else { found.append((m, v)) }
        case .and(let a, let b):
            collect(a, into: &found, records: &records)
            collect(b, into: &found, records: &records)
        case .or(let a, let b):
            collect(a, into: &found, records: &records)
            collect(b, into: &found, records: &records)
        default:
            break
        }
    }

    /// The lines for `measure` that apply to a series whose windows hold `records` (a rule limited to small
    /// windows draws nothing on a series of large ones).
    func thresholds(_ measure: String, records: [Double]) -> [SVGChart.Threshold] {
        lines.filter { $0.measure == measure }.filter { line in
            guard let (op, bound) = line.records else { return true }
            return records.contains { op.holds($0, bound) }
        }.map { SVGChart.Threshold(value: $0.value, label: $0.label) }
    }
}
