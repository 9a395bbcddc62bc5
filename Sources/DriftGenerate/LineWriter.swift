/// Appends JSON fragments for generated records. Values are written with a fixed number of decimals so that
/// generated logs look like real ones (and stay compact).
struct LineWriter {
    var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(640)
    }

    mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: s.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Written before every key (a model's own prefix for its feature names), until set back to empty.
    var keyPrefix: [UInt8] = []

    private mutating func key(_ k: StaticString, first: Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: keyPrefix)
        bytes.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func number(_ k: StaticString, _ v: Double, digits: Int, first: Bool = false) {
        key(k, first: first)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        bytes.append(contentsOf: ((v * scale).rounded() / scale).description.utf8)
    }

    /// A double at full precision: the shortest text that reads back to it, up to 17 significant digits (what
    /// Python's `json.dumps` writes).
    mutating func double(_ k: StaticString, _ v: Double, first: Bool = false) {
        key(k, first: first)
        bytes.append(contentsOf: v.description.utf8)
    }

    /// Text as it is, unquoted.
    mutating func text(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    mutating func integer(_ k: StaticString, _ v: Int, first: Bool = false) {
        key(k, first: first)
        bytes.append(contentsOf: String(v).utf8)
    }

    mutating func category(_ k: StaticString, _ v: String, first: Bool = false) {
        key(k, first: first)
        string(v)
    }

    mutating func null(_ k: StaticString, first: Bool = false) {
        key(k, first: first)
        raw("null")
    }
}
