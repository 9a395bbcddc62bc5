/// A member name encoded once, with its quotes (escaped as ``JSONWriter`` escapes) and its colon: for writers
/// that write the same names on every line. A metric line has twenty members, and escaping each name again cost
/// about 200 instructions a member.
public struct JSONKey: Sendable {
    /// `"name":`
    let encoded: [UInt8]

    public init(_ name: String) {
        var w = JSONWriter(capacity: name.utf8.count + 3)
        w.appendString(name)
        w.appendColon()
        encoded = w.bytes
    }
}

extension JSONWriter {
    public mutating func field(_ key: JSONKey, _ value: String) {
        self.key(key)
        appendString(value)
    }

    public mutating func field(_ key: JSONKey, _ value: Int) {
        self.key(key)
        appendInt(value)
    }

    /// A number, or `null` when it is absent or not finite.
    public mutating func field(_ key: JSONKey, _ value: Double?) {
        self.key(key)
        appendNumber(value)
    }

    /// Opens an array as the value of `key`.
    public mutating func beginArray(_ key: JSONKey) {
        self.key(key)
        beginArrayValue()
    }

    private mutating func key(_ key: JSONKey) {
        separate()
        appendBytes(key.encoded)
    }
}
