import DriftRecords

/// One feature's lines as they are read: its rows, its alert lines in order, and the bytes of the two lines whose
/// distributions the page draws (the worst PSI and the last window), parsed once at the end.
struct SeriesBuilder: Sendable {
    /// A line kept for its distribution.
    struct Kept: Sendable {
        var end: Double
        var psi: Double?
        var line: [UInt8]
    }

    var feature: String
    var name: [UInt8]
    var type = ""
    var columns = PointColumns()
    var alerts: [AlertEvent] = []
    var worst: Kept?
    var last: Kept?
    /// The window a reader asked for (``ReportData/chosen``): the first to end at or after that time.
    var chosen: Kept?

    init(feature: String) {
        self.feature = feature
        name = Array(feature.utf8)
    }

    /// Keeps `line` if its window is the last so far, or has the worst PSI (the latest of equals).
    mutating func consider(_ line: UnsafeRawBufferPointer, end: Double, psi: Double?, at: Double?) {
        if Self.isLater(end, than: last) { Self.keep(&last, line, end, psi) }
        if let at, end >= at, Self.isCloser(end, than: chosen) { Self.keep(&chosen, line, end, psi) }
        if Self.isWorse(psi, end, than: worst) { Self.keep(&worst, line, end, psi) }
    }

    /// The rules, one place for a line read here and for what another reader kept: the last window (the latest
    /// written of equal ends), the first window ending at or after the chosen time, the largest PSI (the latest
    /// of equals).
    static func isLater(_ end: Double, than kept: Kept?) -> Bool { kept.map { end >= $0.end } ?? true }
    static func isCloser(_ end: Double, than kept: Kept?) -> Bool { kept.map { end <= $0.end } ?? true }
    static func isWorse(_ psi: Double?, _ end: Double, than kept: Kept?) -> Bool {
        guard let psi else { return false }
        guard let kept, let keptPSI = kept.psi else { return true }
        return psi > keptPSI || (psi == keptPSI && end >= kept.end)
    }

    /// The bytes copied into the storage already there: no allocation per line once the first is kept.
    private static func keep(_ kept: inout Kept?, _ line: UnsafeRawBufferPointer, _ end: Double, _ psi: Double?) {
        if kept == nil { kept = Kept(end: end, psi: psi, line: []) }
        kept!.end = end
        kept!.psi = psi
        kept!.line.removeAll(keepingCapacity: true)
        kept!.line.append(contentsOf: line)
    }

    /// Appends what a later reader saw of the same feature.
    mutating func append(_ later: SeriesBuilder) {
        if type.isEmpty { type = later.type }
        columns.append(contentsOf: later.columns)
        alerts += later.alerts
        if let l = later.last, Self.isLater(l.end, than: last) { last = l }
        if let c = later.chosen, Self.isCloser(c.end, than: chosen) { chosen = c }
        if let w = later.worst, Self.isWorse(w.psi, w.end, than: worst) { worst = w }
    }

    func series(model: String, window: String) -> ReportData.Series {
        var s = ReportData.Series(model: model, window: window, feature: feature, type: type)
        s.columns = columns.deduplicated()
        s.alerts = AlertEvent.periods(alerts)
        s.worst = worst.flatMap(Self.distribution)
        s.last = last.flatMap(Self.distribution)
        s.chosen = chosen.flatMap(Self.distribution)
        return s
    }

    /// The histogram and top values of a kept line.
    static func distribution(_ kept: Kept) -> ReportData.Distribution? {
        var tape = JSONTape()
        return kept.line.withUnsafeBytes { text -> ReportData.Distribution? in
            guard (try? tape.parse(text)) != nil, tape[0].kind == .object else { return nil }
            let o = MetricLine(tape: tape, text: text)
            let histogram = o.doubles("histogram") ?? []
            let top = (o.objects("top") ?? []).compactMap { e -> (value: String, count: Double)? in
                guard let v = e.string("value"), let c = e.double("count") else { return nil }
                return (v, c)
            }
            return ReportData.Distribution(end: kept.end, psi: kept.psi, histogram: histogram, top: top)
        }
    }
}
