import DriftRecords
import Foundation

/// Differential testing of driftd's JSON tape parser against Foundation's JSONSerialization, on generated and
/// randomly mutated texts. Used by the test suite (a short run) and by `swift run json-fuzz` (a long one).
///
/// Known, documented differences are not counted as disagreements: driftd accepts Python's `NaN`, `Infinity`,
/// `-Infinity`; rejects trailing commas (Foundation accepts them) and nesting deeper than 64; does not check that
/// string bytes are valid UTF-8 (they are decoded with replacement when used) nor reject lone surrogate escapes;
/// reads a number too large for a double as ±infinity (as Python does) where Foundation rejects it; and reads
/// numbers correctly rounded — each is checked to equal Swift's `Double(String)` exactly — where Foundation
/// misrounds some long decimals (values are compared with Foundation's to 1e-14 relative).
public struct JSONDifferential {
    public var rng: SeededGenerator
    public private(set) var checked = 0
    public private(set) var accepted = 0
    public private(set) var disagreements: [String] = []

    public init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
    }

    /// Generates a random document, checks it and `mutations` mutated copies of it.
    public mutating func round(mutations: Int = 8) {
        let text = generateValue(depth: 0)
        check(Array(text.utf8))
        for _ in 0..<mutations { check(mutate(Array(text.utf8))) }
    }

    public mutating func check(_ bytes: [UInt8]) {
        checked += 1
        if hasKnownDifference(bytes) { return }
        var tape = JSONTape()
        var inexact: String?
        let ours: Any? = bytes.withUnsafeBytes { raw -> Any? in
            do {
                try tape.parse(raw)
            } catch {
                return nil
            }
            for i in tape.tokens.indices where tape[i].kind == .number {
                let text = tape.rawText(at: i, in: raw)
                if let exact = Double(text), exact != tape[i].number { inexact = text }
            }
            return Self.value(tape, 0, raw).0
        }
        if let inexact {
            disagreements.append("number \(inexact) not read as Double(String) reads it")
            return
        }
        let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        if (ours == nil) != (theirs == nil) {
            disagreements.append(
                "\(ours == nil ? "rejected" : "accepted") what Foundation \(theirs == nil ? "rejects" : "accepts"): \(String(decoding: bytes.prefix(200), as: UTF8.self))"
            )
            return
        }
        guard let ours, let theirs else { return }
        accepted += 1
        if !Self.same(ours, theirs) {
            disagreements.append("different value: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }

    // MARK: Generation

    private mutating func chance(_ p: Double) -> Bool { rng.unit() < p }

    private mutating func generateValue(depth: Int) -> String {
        let choice = depth > 6 ? Int(rng.unit() * 4) : Int(rng.unit() * 7)
        switch choice {
        case 0: return generateNumber()
        case 1: return generateString()
        case 2: return ["true", "false", "null"][Int(rng.unit() * 3)]
        case 3: return generateNumber()
        case 4, 5:
            let n = Int(rng.unit() * 5)
            let members = (0..<n).map { _ in
                generateString() + (chance(0.3) ? " : " : ":") + generateValue(depth: depth + 1)
            }
            return "{" + members.joined(separator: chance(0.3) ? " , " : ",") + "}"
        default:
            let n = Int(rng.unit() * 5)
            return "[" + (0..<n).map { _ in generateValue(depth: depth + 1) }.joined(separator: ",") + "]"
        }
    }

    private mutating func generateNumber() -> String {
        switch Int(rng.unit() * 5) {
        case 0: return String(Int64(bitPattern: rng.next()) >> Int(rng.unit() * 63))
        case 1: return String(rng.normal() * pow(10, Double(Int(rng.unit() * 40) - 20)))
        case 2: return "\(Int(rng.unit() * 1000))e\(Int(rng.unit() * 600) - 300)"
        case 3: return "-0.\(String(repeating: "0", count: Int(rng.unit() * 30)))\(Int(rng.unit() * 1_000_000))"
        default: return String(Int(rng.unit() * 100))
        }
    }

    private mutating func generateString() -> String {
        let pieces = [
            "a", "é", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "日本",
            " ", "key", "\\u0000", "😀",
        ]
        let n = Int(rng.unit() * 12)  // up to ~100 bytes: the scanner's eight-byte steps and their tails
        return "\"" + (0..<n).map { _ in pieces[Int(rng.unit() * Double(pieces.count))] }.joined() + "\""
    }

    // MARK: Mutation

    private mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let alphabet = Array("{}[],:\"\\0123456789.eE+-tfnul ".utf8) + [0x00, 0x1F, 0x80, 0xFF]
        for _ in 0..<(1 + Int(rng.unit() * 3)) {
            let position = bytes.isEmpty ? 0 : Int(rng.unit() * Double(bytes.count))
            switch Int(rng.unit() * 4) {
            case 0 where !bytes.isEmpty: bytes.remove(at: position)
            case 1: bytes.insert(alphabet[Int(rng.unit() * Double(alphabet.count))], at: position)
            case 2 where !bytes.isEmpty: bytes[position] = alphabet[Int(rng.unit() * Double(alphabet.count))]
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    // MARK: Comparison

    /// Texts touching a documented difference (see the type's comment).
    private func hasKnownDifference(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("NaN") || text.contains("Infinity") { return true }
        if bytes.contains(0) || String(validating: bytes, as: UTF8.self) == nil { return true }
        if text.range(of: #"[eE][+-]?[0-9]{3,}"#, options: .regularExpression) != nil { return true }
        if text.range(of: #",\s*[\]}]"#, options: .regularExpression) != nil { return true }
        if text.range(of: #"\\u[dD][89abAB]"#, options: .regularExpression) != nil { return true }
        if text.range(of: #"\\u[dD][c-fC-F]"#, options: .regularExpression) != nil { return true }
        var depth = 0
        var deepest = 0
        for b in bytes {
            if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { depth += 1 }
            if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") { depth -= 1 }
            deepest = max(deepest, depth)
        }
        return deepest > JSONTape.maxDepth
    }

    /// The tape's value at `index` as Foundation-like objects, and the index after it.
    static func value(_ tape: JSONTape, _ index: Int, _ text: UnsafeRawBufferPointer) -> (Any, Int) {
        let token = tape[index]
        switch token.kind {
        case .object:
            var dict: [String: Any] = [:]
            var i = index + 1
            while i < Int(token.end) {
                let key = tape.string(at: i, in: text)
                let (v, next) = value(tape, i + 1, text)
                dict[key] = v
                i = next
            }
            return (dict, Int(token.end))
        case .array:
            var array: [Any] = []
            var i = index + 1
            while i < Int(token.end) {
                let (v, next) = value(tape, i, text)
                array.append(v)
                i = next
            }
            return (array, Int(token.end))
        case .string: return (tape.string(at: index, in: text), index + 1)
        case .number: return (token.number, index + 1)
        case .true: return (true, index + 1)
        case .false: return (false, index + 1)
        case .null: return (NSNull(), index + 1)
        }
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { same(v, $0) } ?? false }
        case (let x as [Any], let y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy(same)
        case (let x as String, let y as String):
            return x == y
        case (let x as Double, let y as NSNumber):
            if String(cString: y.objCType) == "c" { return false }
            let d = y.doubleValue
            // Foundation misrounds some long decimals; it reads integers beyond 2^63 differently.
            return x == d || abs(x - d) <= 1e-14 * abs(x) || abs(x) >= 9.2e18
        case (let x as Bool, let y as NSNumber):
            return String(cString: y.objCType) == "c" && y.boolValue == x
        case (is NSNull, is NSNull):
            return true
        default:
            return false
        }
    }
}
