extension RuleExpression: CustomStringConvertible {
    /// The expression written back as a rule would write it, parenthesised where it nests
    /// (`psi > 0.2 and (js > 0.1 or not ks > 0.3)`).
    public var description: String {
        switch self {
        case .compare(let a, let op, let b): "\(Self.text(a)) \(op.rawValue) \(Self.text(b))"
        case .and(let a, let b): "\(Self.nested(a)) and \(Self.nested(b))"
        case .or(let a, let b): "\(Self.nested(a)) or \(Self.nested(b))"
        case .not(let a): "not \(Self.nested(a))"
        }
    }

    private static func nested(_ e: RuleExpression) -> String {
        if case .compare = e { return e.description }
        return "(\(e.description))"
    }

    private static func text(_ operand: Operand) -> String {
        switch operand {
        case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case .variable(let name): name
        }
    }
}
