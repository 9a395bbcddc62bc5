import DriftRecords

/// The state a reader of metric lines keeps from line to line: the parser's tape, where each member the report
/// reads sits in the current line, and what the line before named (its window end, its model), so that the lines
/// of one window and one model cost no time parsing and no hashing.
struct LineReader: Sendable {
    /// The members read from every line, by code.
    enum Key: Int, CaseIterable {
        case kind, model, window, windowEnd, modelVersion, feature, type, drift, histogram, top
        case count, missing, invalid, mean, p50, unseen
    }

    /// The kinds of line the report reads, found by their bytes like the member names: no String per line.
    enum LineKind: Int {
        case feature, window, alert, performance, driftd
    }

    static let kinds = KeyCodes(["feature", "window", "alert", "performance", "self"])

    /// The kind the string token `i` names, nil for any other.
    func kind(_ i: Int, in text: UnsafeRawBufferPointer) -> LineKind? {
        let code: Int?
        if let raw = raw(i, in: text) {
            code = Self.kinds.code(raw)
        } else {
            var name = tape.string(at: i, in: text)
            code = name.withUTF8 { Self.kinds.code(UnsafeRawBufferPointer($0)) }
        }
        return code.flatMap(LineKind.init(rawValue:))
    }

    static let keys = KeyCodes([
        "kind", "model", "window", "window_end", "model_version", "feature", "type", "drift", "histogram", "top",
        "count", "missing", "invalid", "mean", "p50", "unseen",
    ])
    /// The numeric members of a feature line kept as measures: `count` … `unseen`.
    static let topMeasures: [(Key, UInt8)] = [Key.count, .missing, .invalid, .mean, .p50, .unseen].map {
        ($0, PointValues.codes[String(describing: $0)]!)
    }
    /// The members of a feature line's `drift` object kept as measures.
    static let driftMeasures = [
        "psi", "js", "ks", "wasserstein_norm", "chi2_p", "out_of_range", "missing_rate_change", "invalid_rate_change",
    ]
    static let driftKeys = KeyCodes(driftMeasures)
    static let driftCodes = driftMeasures.map { PointValues.codes[$0]! }
    static let psi = PointValues.codes["psi"]!
    static let unseenRate = PointValues.codes["unseen_rate"]!
    static let missingRate = PointValues.codes["missing_rate"]!
    static let invalidRate = PointValues.codes["invalid_rate"]!

    var tape = JSONTape()
    /// The value token of each ``Key`` in the current line, -1 when absent.
    var found = [Int](repeating: -1, count: Key.allCases.count)
    /// The measures of the current feature line.
    var cells: [PointColumns.Cell] = []
    /// The window end of the line before: its text and its time.
    var endText: [UInt8] = []
    var end = 0.0
    /// The series this line names, as ``spellSeries(model:version:window:in:)`` wrote it, and the line before's
    /// with its group (-1: none kept).
    var series: [UInt8] = []
    var lastSeries: [UInt8] = []
    var group = -1

    init() {
        cells.reserveCapacity(32)
    }

    /// Notes where each member the report reads is; the first of a repeated name counts.
    mutating func locate(_ text: UnsafeRawBufferPointer) {
        for k in found.indices { found[k] = -1 }
        var i = 1
        let end = Int(tape[0].end)
        while i < end {
            if let code = code(ofKeyAt: i, in: text, Self.keys), found[code] < 0 { found[code] = i + 1 }
            i = tape.next(after: i + 1)
        }
    }

    func code(ofKeyAt i: Int, in text: UnsafeRawBufferPointer, _ keys: KeyCodes) -> Int? {
        let token = tape[i]
        guard !token.escaped else {
            var name = tape.string(at: i, in: text)
            return name.withUTF8 { keys.code(UnsafeRawBufferPointer($0)) }
        }
        return keys.code(UnsafeRawBufferPointer(rebasing: text[Int(token.start)..<Int(token.end)]))
    }

    /// The token of `key` if it is a string.
    func string(_ key: Key) -> Int? {
        let i = found[key.rawValue]
        return i >= 0 && tape[i].kind == .string ? i : nil
    }

    /// The bytes of a string token as written, nil when it has escapes (then it is decoded).
    func raw(_ i: Int, in text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let token = tape[i]
        return token.escaped ? nil : UnsafeRawBufferPointer(rebasing: text[Int(token.start)..<Int(token.end)])
    }

    /// Writes the series the line names (model, version, window, each with its length) to ``series``; false
    /// when one of them has escapes, whose bytes are not their text.
    mutating func spellSeries(model: Int, version: Int?, window: Int, in text: UnsafeRawBufferPointer) -> Bool {
        series.removeAll(keepingCapacity: true)
        return spell(model, text) && spell(version, text) && spell(window, text)
    }

    private mutating func spell(_ token: Int?, _ text: UnsafeRawBufferPointer) -> Bool {
        guard let token else {
            withUnsafeBytes(of: UInt32.max) { series.append(contentsOf: $0) }  // no version: a length no line has
            return true
        }
        guard let bytes = raw(token, in: text) else { return false }
        withUnsafeBytes(of: UInt32(bytes.count)) { series.append(contentsOf: $0) }
        series.append(contentsOf: bytes)
        return true
    }

    /// Gathers a feature line's measures into ``cells``: the counts, the drift measures, and the rates made of
    /// them.
    mutating func gatherMeasures(_ text: UnsafeRawBufferPointer) {
        cells.removeAll(keepingCapacity: true)
        var count: Double?
        var missing = 0.0
        var invalid = 0.0
        var unseen: Double?
        for (key, code) in Self.topMeasures {
            let i = found[key.rawValue]
            guard i >= 0, tape[i].kind == .number else { continue }
            let v = tape[i].number
            cells.append(.init(code: code, value: v))
            switch key {
            case .count: count = v
            case .missing: missing = v
            case .invalid: invalid = v
            case .unseen: unseen = v
            default: break
            }
        }
        if let unseen, let count, count > 0 { cells.append(.init(code: Self.unseenRate, value: unseen / count)) }
        let drift = found[Key.drift.rawValue]
        if drift >= 0, tape[drift].kind == .object {
            var seen: UInt16 = 0
            var i = drift + 1
            let end = Int(tape[drift].end)
            while i < end {
                if let k = code(ofKeyAt: i, in: text, Self.driftKeys), seen & (1 << k) == 0 {
                    seen |= 1 << k
                    if tape[i + 1].kind == .number {
                        cells.append(.init(code: Self.driftCodes[k], value: tape[i + 1].number))
                    }
                }
                i = tape.next(after: i + 1)
            }
        }
        let total = (count ?? 0) + missing + invalid
        if total > 0 {
            cells.append(.init(code: Self.missingRate, value: missing / total))
            cells.append(.init(code: Self.invalidRate, value: invalid / total))
        }
    }

    /// The PSI among the gathered measures.
    var psi: Double? { cells.first { $0.code == Self.psi }?.value }

    /// True when the line draws a distribution: a non-empty `histogram` or `top`.
    var hasDistribution: Bool { isNonEmptyArray(.histogram) || isNonEmptyArray(.top) }

    private func isNonEmptyArray(_ key: Key) -> Bool {
        let i = found[key.rawValue]
        return i >= 0 && tape[i].kind == .array && Int(tape[i].end) > i + 1
    }
}
