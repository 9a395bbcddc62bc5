extension JSONTape {
    /// The decoded text of the string token at `index` (escapes resolved; invalid UTF-8 and lone surrogates
    /// become U+FFFD).
    public func string(at index: Int, in text: UnsafeRawBufferPointer) -> String {
        let token = self[index]
        let raw = UnsafeRawBufferPointer(rebasing: text[Int(token.start)..<Int(token.end)])
        guard token.escaped else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: unescape(raw), as: UTF8.self)
    }

    /// The exact bytes of a number, string or literal token as written in the text; `{…}` or `[…]` for an object
    /// or an array, whose tokens hold tape indices rather than text offsets.
    public func rawText(at index: Int, in text: UnsafeRawBufferPointer) -> String {
        let token = self[index]
        switch token.kind {
        case .object: return "{…}"
        case .array: return "[…]"
        default:
            return String(
                decoding: UnsafeRawBufferPointer(rebasing: text[Int(token.start)..<Int(token.end)]),
                as: UTF8.self)
        }
    }

    /// True when the string token at `index` decodes to exactly `bytes`.
    public func stringEquals(_ index: Int, _ bytes: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer) -> Bool {
        let token = self[index]
        let raw = UnsafeRawBufferPointer(rebasing: text[Int(token.start)..<Int(token.end)])
        if token.escaped { return unescape(raw).withUnsafeBytes { $0.elementsEqual(bytes) } }
        guard raw.count == bytes.count else { return false }  // most keys differ in length: no byte compared
        guard let start = raw.baseAddress else { return true }  // both empty
        return ShortBytes.equal(start, bytes)
    }

    /// The index of the value of member `key` in the object at `index`, or nil.
    public func member(_ key: UnsafeRawBufferPointer, ofObjectAt index: Int, in text: UnsafeRawBufferPointer) -> Int? {
        guard self[index].kind == .object else { return nil }
        var i = index + 1
        let end = Int(self[index].end)
        while i < end {
            let name = self[i]
            // Most keys differ in length and are told apart here, without a call.
            if name.escaped || Int(name.end - name.start) == key.count, stringEquals(i, key, in: text) { return i + 1 }
            i = next(after: i + 1)
        }
        return nil
    }

    /// Calls `body(keyIndex, valueIndex)` for each member of the object at `index`, in order.
    public func forEachMember(ofObjectAt index: Int, _ body: (Int, Int) throws -> Void) rethrows {
        var i = index + 1
        let end = Int(self[index].end)
        while i < end {
            try body(i, i + 1)
            i = next(after: i + 1)
        }
    }
}

/// Resolves JSON escapes in the bytes of a string validated by the parser.
func unescape(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var i = 0
    func hex4(_ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | (hexValue(raw[at + k]) ?? 0) }
        return v
    }
    func appendScalar(_ v: UInt32) {
        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
    }
    while i < raw.count {
        let c = raw[i]
        guard c == UInt8(ascii: "\\") else {
            out.append(c)
            i += 1
            continue
        }
        let e = raw[i + 1]
        i += 2
        switch e {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let high = hex4(i)
            i += 4
            if (0xD800..<0xDC00).contains(high), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"),
                raw[i + 1] == UInt8(ascii: "u")
            {
                let low = hex4(i + 2)
                if (0xDC00..<0xE000).contains(low) {
                    i += 6
                    appendScalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    continue
                }
            }
            appendScalar(high)  // a lone surrogate is not a scalar: U+FFFD
        default: out.append(e)  // \" \\ \/
        }
    }
    return out
}
