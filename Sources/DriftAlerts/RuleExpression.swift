/// A rule's condition (DESIGN §7): comparisons of a window's statistics and drift measures with numbers or with
/// the reference's adaptive thresholds, joined by `and`, `or`, `not` and parentheses. `psi > 0.2`,
/// `missing_rate > 0.05 and count >= 100`, `js >= threshold_js`. Pure: parsed once, evaluated per window.
public indirect enum RuleExpression: Hashable, Sendable {
    public enum Operator: String, Hashable, Sendable, CaseIterable {
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
        case equal = "=="
        case notEqual = "!="

        public func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .greater: a > b
            case .greaterOrEqual: a >= b
            case .less: a < b
            case .lessOrEqual: a <= b
            case .equal: a == b
            case .notEqual: a != b
            }
        }
    }

    public enum Operand: Hashable, Sendable {
        case number(Double)
        case variable(String)
    }

    case compare(Operand, Operator, Operand)
    case and(RuleExpression, RuleExpression)
    case or(RuleExpression, RuleExpression)
    case not(RuleExpression)

    /// True when the condition holds. A comparison with a value that is absent (no reference, an empty window)
    /// does not hold: no data, no alert.
    public func holds(_ lookup: (String) -> Double?) -> Bool {
        switch self {
        case .compare(let a, let op, let b):
            guard let x = Self.value(a, lookup), let y = Self.value(b, lookup) else { return false }
            return op.holds(x, y)
        case .and(let a, let b): return a.holds(lookup) && b.holds(lookup)
        case .or(let a, let b): return a.holds(lookup) || b.holds(lookup)
        case .not(let a): return !a.holds(lookup)
        }
    }

    /// The value and threshold an alert reports: the two sides of the first comparison.
    public func valueAndThreshold(_ lookup: (String) -> Double?) -> (value: Double?, threshold: Double?) {
        switch self {
        case .compare(let a, _, let b): return (Self.value(a, lookup), Self.value(b, lookup))
        case .and(let a, _), .or(let a, _), .not(let a): return a.valueAndThreshold(lookup)
        }
    }

    /// Every variable the expression reads.
    public var variables: Set<String> {
        switch self {
        case .compare(let a, _, let b):
            var names: Set<String> = []
            if case .variable(let n) = a { names.insert(n) }
            if case .variable(let n) = b { names.insert(n) }
            return names
        case .and(let a, let b), .or(let a, let b): return a.variables.union(b.variables)
        case .not(let a): return a.variables
        }
    }

    private static func value(_ operand: Operand, _ lookup: (String) -> Double?) -> Double? {
        switch operand {
        case .number(let x): x
        case .variable(let name): lookup(name)
        }
    }
}
