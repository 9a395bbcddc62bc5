import DriftRecords

/// One metric line as the report reads it: an object of driftd's JSON parser's tape, whose members are looked up
/// by name without building a dictionary (Foundation's parser, reading numbers as decimals, took 27 s for 2,000
/// features × 288 windows). `index` is the object's token.
struct MetricLine {
    let tape: JSONTape
    let text: UnsafeRawBufferPointer
    var index = 0

    func value(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { tape.member(UnsafeRawBufferPointer($0), ofObjectAt: index, in: text) }
    }

    func string(_ key: String) -> String? {
        guard let i = value(key), tape[i].kind == .string else { return nil }
        return tape.string(at: i, in: text)
    }

    func double(_ key: String) -> Double? {
        guard let i = value(key), tape[i].kind == .number else { return nil }
        return tape[i].number
    }

    func object(_ key: String) -> MetricLine? {
        guard let i = value(key), tape[i].kind == .object else { return nil }
        return MetricLine(tape: tape, text: text, index: i)
    }

    /// The elements of the array `key`, as token indices.
    func elements(_ key: String) -> [Int]? {
        guard let i = value(key), tape[i].kind == .array else { return nil }
        var out: [Int] = []
        var e = i + 1
        while e < Int(tape[i].end) {
            out.append(e)
            e = tape.next(after: e)
        }
        return out
    }

    func doubles(_ key: String) -> [Double]? {
        elements(key)?.compactMap { tape[$0].kind == .number ? tape[$0].number : nil }
    }

    func strings(_ key: String) -> [String]? {
        elements(key)?.compactMap { tape[$0].kind == .string ? tape.string(at: $0, in: text) : nil }
    }

    func objects(_ key: String) -> [MetricLine]? {
        elements(key)?.compactMap { tape[$0].kind == .object ? MetricLine(tape: tape, text: text, index: $0) : nil }
    }

    /// Every member whose value is a number, by name.
    var numbers: [(String, Double)] {
        var out: [(String, Double)] = []
        tape.forEachMember(ofObjectAt: index) { k, v in
            if tape[v].kind == .number { out.append((tape.string(at: k, in: text), tape[v].number)) }
        }
        return out
    }
}
