/// Writes one JSON object into bytes with keys in the order given: deterministic output, no Foundation.
public struct JSONWriter: Sendable {
    private var store: ByteStore
    /// Per open object or array, from the outermost (bit 0): whether a member was written, so the next needs a
    /// comma. Kept in bits, not an array: it is read and written for every member.
    private var written: UInt64 = 0
    private var depth = 0

    public init(capacity: Int = 512) {
        store = ByteStore(capacity: capacity)
    }

    /// What was written.
    public var bytes: [UInt8] { store.array }

    /// Appends members another writer encoded (``membersOfObject``): lines that share fields encode them once.
    public mutating func members(_ encoded: ArraySlice<UInt8>) {
        guard !encoded.isEmpty else { return }
        separate()
        encoded.withUnsafeBytes { store.append($0) }
    }

    /// The members of the one object written so far, without its braces: for ``members(_:)``.
    public var membersOfObject: ArraySlice<UInt8> {
        store.count >= 2 ? store.slice(1..<store.count - 1) : []
    }

    public mutating func beginObject() {
        separate()
        open(UInt8(ascii: "{"))
    }

    /// Opens an object as the value of `key`.
    public mutating func beginObject(_ key: String) {
        self.key(key)
        open(UInt8(ascii: "{"))
    }

    public mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    /// Opens an array as the whole document.
    public mutating func beginRootArray() {
        open(UInt8(ascii: "["))
    }

    public mutating func beginArray(_ key: String) {
        self.key(key)
        beginArrayValue()
    }

    /// Opens an array after its key.
    mutating func beginArrayValue() {
        open(UInt8(ascii: "["))
    }

    public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    private mutating func open(_ bracket: UInt8) {
        precondition(depth < 64, "JSONWriter: more than 64 levels of nesting")
        store.append(bracket)
        written &= ~(1 << UInt64(depth))
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        precondition(depth > 0, "JSONWriter: nothing open to close")
        store.append(bracket)
        depth -= 1
    }

    public mutating func field(_ key: String, _ value: String) {
        self.key(key)
        appendString(value)
    }

    public mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        appendInt(value)
    }

    /// A number, or `null` when it is absent or not finite (JSON has no NaN or infinity).
    public mutating func field(_ key: String, _ value: Double?) {
        self.key(key)
        appendNumber(value)
    }

    mutating func appendNumber(_ value: Double?) {
        if let value, value.isFinite {
            let short = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: FewDecimals.maxBytes) { out in
                guard let n = FewDecimals.write(value, into: out.baseAddress!) else { return false }
                store.append(UnsafeRawBufferPointer(start: out.baseAddress!, count: n))
                return true
            }
            guard !short else { return }
            var text = value.description  // the shortest text that reads back to the same double
            text.withUTF8 { store.append(UnsafeRawBufferPointer($0)) }  // copied whole, not byte by byte
        } else {
            appendNull()
        }
    }

    /// An integer element of the array being written.
    public mutating func element(_ value: Int) {
        separate()
        appendInt(value)
    }

    /// A string element of the array being written.
    public mutating func element(_ value: String) {
        separate()
        appendString(value)
    }

    /// An object of string members, keys sorted (deterministic).
    public mutating func field(_ key: String, _ members: [String: String]) {
        beginObject(key)
        for k in members.keys.sorted() { field(k, members[k]!) }
        endObject()
    }

    public mutating func fieldNull(_ key: String) {
        self.key(key)
        appendNull()
    }

    mutating func appendNull() {
        let null: StaticString = "null"
        store.append(UnsafeRawBufferPointer(start: null.utf8Start, count: null.utf8CodeUnitCount))
    }

    public mutating func newline() {
        store.append(0x0A)
    }

    private mutating func key(_ key: String) {
        separate()
        appendString(key)
        appendColon()
    }

    mutating func appendColon() {
        store.append(UInt8(ascii: ":"))
    }

    /// Bytes already encoded (a ``JSONKey``).
    mutating func appendBytes(_ encoded: [UInt8]) {
        store.append(encoded)
    }

    /// The decimal digits of `value`, written from the last: a metric line has a dozen integers, and making a
    /// String of each and copying it through its UTF-8 view took about 330 instructions a time.
    mutating func appendInt(_ value: Int) {
        if value < 0 { store.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = 0x30 + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            store.append(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(digits)[i...]))
        }
    }

    mutating func separate() {
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(depth - 1)
        if written & bit != 0 { store.append(UInt8(ascii: ",")) }
        written |= bit
    }

    mutating func appendString(_ s: String) {
        store.append(UInt8(ascii: "\""))
        // Most strings (names, models, values) need no escape: copied whole, not a byte at a time (a metric file of
        // thousands of models is mostly such strings).
        let plain = s.utf8.withContiguousStorageIfAvailable { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            store.append(UnsafeRawBufferPointer(utf8))
            return true
        }
        if plain == true {
            store.append(UInt8(ascii: "\""))
            return
        }
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): appendEscape(0x22)
            case UInt8(ascii: "\\"): appendEscape(0x5C)
            case 0x0A: appendEscape(UInt8(ascii: "n"))
            case 0x0D: appendEscape(UInt8(ascii: "r"))
            case 0x09: appendEscape(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                appendEscape(UInt8(ascii: "u"))
                for digit in [0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]] { store.append(digit) }
            default: store.append(c)
            }
        }
        store.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ c: UInt8) {
        store.append(0x5C)
        store.append(c)
    }
}
