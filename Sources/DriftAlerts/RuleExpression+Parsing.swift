import DriftCore

extension RuleExpression {
    /// Why an expression does not parse: where, and what was expected.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var position: Int
        public var message: String
        public var description: String { "\(message) (at character \(position + 1))" }
    }

    /// Parses `text`; every variable must be one of `known`.
    public static func parse(_ text: String, known: Set<String>) throws(ParseError) -> RuleExpression {
        var parser = ExpressionParser(text: Array(text.utf8), known: known)
        let expression = try parser.orExpression()
        parser.skipSpaces()
        guard parser.position == parser.text.count else {
            throw ParseError(position: parser.position, message: "unexpected text; expected 'and', 'or' or the end")
        }
        return expression
    }
}

private struct ExpressionParser {
    let text: [UInt8]
    let known: Set<String>
    var position = 0

    mutating func skipSpaces() {
        while position < text.count, text[position] == 0x20 || text[position] == 0x09 { position += 1 }
    }

    func fail(_ message: String) -> RuleExpression.ParseError { .init(position: position, message: message) }

    mutating func keyword(_ word: String) -> Bool {
        skipSpaces()
        let w = Array(word.utf8)
        guard position + w.count <= text.count, Array(text[position..<(position + w.count)]) == w else { return false }
        let after = position + w.count
        if after < text.count, isIdentifierByte(text[after]) { return false }
        position = after
        return true
    }

    mutating func orExpression() throws(RuleExpression.ParseError) -> RuleExpression {
        var left = try andExpression()
        while keyword("or") { left = .or(left, try andExpression()) }
        return left
    }

    mutating func andExpression() throws(RuleExpression.ParseError) -> RuleExpression {
        var left = try unary()
        while keyword("and") { left = .and(left, try unary()) }
        return left
    }

    mutating func unary() throws(RuleExpression.ParseError) -> RuleExpression {
        if keyword("not") { return .not(try unary()) }
        skipSpaces()
        if position < text.count, text[position] == UInt8(ascii: "(") {
            position += 1
            let inner = try orExpression()
            skipSpaces()
            guard position < text.count, text[position] == UInt8(ascii: ")") else { throw fail("expected ')'") }
            position += 1
            return inner
        }
        let left = try operand()
        let op = try comparison()
        let right = try operand()
        return .compare(left, op, right)
    }

    mutating func comparison() throws(RuleExpression.ParseError) -> RuleExpression.Operator {
        skipSpaces()
        for op in RuleExpression.Operator.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }) {
            let symbol = Array(op.rawValue.utf8)
            if position + symbol.count <= text.count, Array(text[position..<(position + symbol.count)]) == symbol {
                position += symbol.count
                return op
            }
        }
        throw fail("expected a comparison: >, >=, <, <=, == or !=")
    }

    mutating func operand() throws(RuleExpression.ParseError) -> RuleExpression.Operand {
        skipSpaces()
        let start = position
        guard position < text.count else { throw fail("expected a measure or a number") }
        if isIdentifierByte(text[position]) && !isDigit(text[position]) {
            while position < text.count, isIdentifierByte(text[position]) { position += 1 }
            let name = String(decoding: text[start..<position], as: UTF8.self)
            guard known.contains(name) else {
                position = start
                var message = "unknown measure '\(name)'"
                if let near = Suggestion.nearest(to: name, in: known.sorted(), maxDistance: 2) {
                    message += "; did you mean '\(near)'?"
                }
                throw fail(message)
            }
            return .variable(name)
        }
        while position < text.count,
            isDigit(text[position])
                || [
                    UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"),
                    UInt8(ascii: "E"),
                ].contains(text[position])
        {
            position += 1
        }
        guard let number = Double(String(decoding: text[start..<position], as: UTF8.self)) else {
            position = start
            throw fail("expected a measure or a number")
        }
        return .number(number)
    }

    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    func isIdentifierByte(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "_")
    }
}
