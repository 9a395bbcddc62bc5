#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The member names the report reads, found by their bytes without building a String or hashing with SipHash:
/// a metric line has about twenty members, and a lookup per name per line was most of the report's time at
/// 16,000 features × 288 windows. A name's code is its index in the list given to ``init(_:)``.
struct KeyCodes: Sendable {
    private let names: [[UInt8]]
    /// Open addressing over a small power-of-two table; -1 is an empty slot.
    private let slots: [Int16]
    private let mask: Int

    init(_ list: [String]) {
        names = list.map { Array($0.utf8) }
        var size = 16
        while size < list.count * 4 { size *= 2 }
        mask = size - 1
        var slots = [Int16](repeating: -1, count: size)
        for (code, name) in names.enumerated() {
            precondition(!name.isEmpty && !names[..<code].contains(name), "names are unique and not empty")
            var s = name.withUnsafeBytes { Self.hash($0) } & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int16(code)
        }
        self.slots = slots
    }

    /// Length and three of the bytes: enough to spread a few dozen member names.
    @inline(__always)
    private static func hash(_ b: UnsafeRawBufferPointer) -> Int {
        let n = b.count
        guard n > 0 else { return 0 }
        return (n &* 31) ^ (Int(b[0]) &* 7) ^ (Int(b[n - 1]) &* 131) ^ (Int(b[n / 2]) &* 17)
    }

    /// The code of `bytes`, or nil when it is none of the names.
    @inline(__always)
    func code(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var s = Self.hash(bytes) & mask
        while true {
            let code = Int(slots[s])
            if code < 0 { return nil }
            let same = names[code].withUnsafeBytes { name in
                name.count == bytes.count
                    && (name.count == 0 || memcmp(name.baseAddress!, bytes.baseAddress!, name.count) == 0)
            }
            if same { return code }
            s = (s + 1) & mask
        }
    }
}
