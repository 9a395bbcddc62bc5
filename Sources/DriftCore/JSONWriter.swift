/// Writes one JSON object into bytes with keys in the order given: deterministic output, no Foundation.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends members another writer encoded (``membersOfObject``): lines that share fields encode them once.
    public mutating func members(_ encoded: ArraySlice<UInt8>) {
        guard !encoded.isEmpty else { return }
        separate()
        bytes.append(contentsOf: encoded)
    }

    /// The members of the one object written so far, without its braces: for ``members(_:)``.
    public var membersOfObject: ArraySlice<UInt8> {
        bytes.count >= 2 ? bytes[1..<bytes.count - 1] : []
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    /// Opens an object as the value of `key`.
    public mutating func beginObject(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma.removeLast()
    }

    /// Opens an array as the whole document.
    public mutating func beginRootArray() {
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func beginArray(_ key: String) {
        self.key(key)
        beginArrayValue()
    }

    /// Opens an array after its key.
    mutating func beginArrayValue() {
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma.removeLast()
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
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: out[..<n]))
                return true
            }
            guard !short else { return }
            var text = value.description  // the shortest text that reads back to the same double
            text.withUTF8 { bytes.append(contentsOf: $0) }  // copied whole, not through the UTF-8 view's iterator
        } else {
            bytes.append(contentsOf: "null".utf8)
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
        bytes.append(contentsOf: "null".utf8)
    }

    public mutating func newline() {
        bytes.append(0x0A)
    }

    private mutating func key(_ key: String) {
        separate()
        appendString(key)
        appendColon()
    }

    mutating func appendColon() {
        bytes.append(UInt8(ascii: ":"))
    }

    /// Bytes already encoded (a ``JSONKey``).
    mutating func appendBytes(_ encoded: [UInt8]) {
        bytes.append(contentsOf: encoded)
    }

    /// The decimal digits of `value`, written from the last: a metric line has a dozen integers, and making a
    /// String of each and copying it through its UTF-8 view took about 330 instructions a time.
    mutating func appendInt(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = 0x30 + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    mutating func appendString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings (names, models, values) need no escape: copied whole, not a byte at a time (a metric file of
        // thousands of models is mostly such strings).
        let plain = s.utf8.withContiguousStorageIfAvailable { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
