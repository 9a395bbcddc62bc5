/// A feature's windows as a table: the window ends, and a row of values per window, one column per measure the
/// lines carried (NaN where a line did not carry it; JSON has no NaN, so none is read). 16,000 features × 288
/// windows are 4.6 million points: a row costs 8 bytes a value in one array, where a list of (name, value) per
/// point cost an allocation and a search per value.
public struct PointColumns: Sendable, Equatable {
    /// Window ends, epoch seconds, in the order the lines came (``deduplicated()`` sorts them).
    public private(set) var ends: [Double] = []
    /// The measure code (``PointValues``) of each column.
    private(set) var codes: [UInt8] = []
    /// Row after row, ``codes``.count values each.
    private var values: [Double] = []
    /// The column of each measure code, -1 when there is none.
    private var slot = [Int8](repeating: -1, count: PointValues.names.count)

    public init() {}

    public var count: Int { ends.count }
    private var width: Int { codes.count }

    /// One measure's value.
    struct Cell {
        var code: UInt8
        var value: Double
    }

    /// Appends one window's point.
    mutating func append(end: Double, _ cells: ArraySlice<Cell>) {
        for cell in cells where slot[Int(cell.code)] < 0 { addColumn(cell.code) }
        ends.append(end)
        let row = values.count
        values.append(contentsOf: repeatElement(.nan, count: width))
        values.withUnsafeMutableBufferPointer { v in
            for cell in cells { v[row + Int(slot[Int(cell.code)])] = cell.value }
        }
    }

    /// A column for `code`, NaN in the rows before: the table is laid out again (a measure first seen after the
    /// first window, which is rare).
    private mutating func addColumn(_ code: UInt8) {
        let old = width
        slot[Int(code)] = Int8(old)
        codes.append(code)
        guard count > 0 else { return }
        var wider: [Double] = []
        wider.reserveCapacity(count * (old + 1))
        for r in 0..<count {
            wider.append(contentsOf: values[(r * old)..<(r * old + old)])
            wider.append(.nan)
        }
        values = wider
    }

    /// The value of measure `code` at row `i`, nil where the line did not carry it.
    func value(_ code: UInt8, at i: Int) -> Double? {
        let c = Int(slot[Int(code)])
        guard c >= 0 else { return nil }
        let v = values[i * width + c]
        return v.isNaN ? nil : v
    }

    /// The value of measure `name` at row `i`.
    public func value(_ name: String, at i: Int) -> Double? {
        PointValues.codes[name].flatMap { value($0, at: i) }
    }

    /// Row `i` as a point's values.
    public func values(at i: Int) -> PointValues {
        var v = PointValues()
        for (c, code) in codes.enumerated() where !values[i * width + c].isNaN { v[code: code] = values[i * width + c] }
        return v
    }

    /// Appends `later`'s rows (lines read after these).
    mutating func append(contentsOf later: PointColumns) {
        for code in later.codes where slot[Int(code)] < 0 { addColumn(code) }
        if later.codes == codes {
            ends.append(contentsOf: later.ends)
            values.append(contentsOf: later.values)
            return
        }
        var cells: [Cell] = []
        for r in 0..<later.count {
            cells.removeAll(keepingCapacity: true)
            for (c, code) in later.codes.enumerated() where !later.values[r * later.width + c].isNaN {
                cells.append(Cell(code: code, value: later.values[r * later.width + c]))
            }
            append(end: later.ends[r], cells[...])
        }
    }

    /// One row per window end, the last written of equal ends, sorted by end. Rows already in strictly
    /// increasing order (every file driftd writes, without a crash between) are kept as they are.
    func deduplicated() -> PointColumns {
        if zip(ends, ends.dropFirst()).allSatisfy({ $0 < $1 }) { return self }
        var last: [Double: Int] = [:]
        for (i, end) in ends.enumerated() { last[end] = i }
        let order = last.values.sorted { ends[$0] < ends[$1] }
        var out = self
        out.ends = order.map { ends[$0] }
        out.values = order.flatMap { values[($0 * width)..<($0 * width + width)] }
        return out
    }

    public static func == (a: PointColumns, b: PointColumns) -> Bool {
        a.count == b.count
            && (0..<a.count).allSatisfy { a.ends[$0] == b.ends[$0] && a.values(at: $0) == b.values(at: $0) }
    }
}
