/// Gives each distinct name (a feature, a model) a small integer, so that the hot path indexes arrays instead of
/// hashing strings: a name's bytes are hashed once per record (FNV-1a) and compared, no `String` is made.
public struct NameInterner: Sendable {
    /// The names, by id.
    public private(set) var names: [String] = []
    private var bytes: [[UInt8]] = []
    /// Open addressing: slot → id + 1 (0: empty).
    private var slots: [Int32] = [Int32](repeating: 0, count: 64)
    private var hashes: [UInt64] = []

    public init() {}

    public var count: Int { names.count }

    /// The id of the name spelled by `prefix` followed by `key`, adding it if new.
    public mutating func id(_ key: UnsafeRawBufferPointer, prefix: [UInt8] = []) -> Int32 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in prefix { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if hashes[id] == h && equal(bytes[id], prefix, key) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = names.count
        let full = prefix + Array(key)
        bytes.append(full)
        hashes.append(h)
        names.append(String(decoding: full, as: UTF8.self))
        slots[slot] = Int32(id + 1)
        if names.count * 2 > slots.count { grow() }
        return Int32(id)
    }

    /// The id of a name given as a string, adding it if new.
    public mutating func id(_ name: String) -> Int32 {
        Array(name.utf8).withUnsafeBytes { id($0) }
    }

    private func equal(_ stored: [UInt8], _ prefix: [UInt8], _ key: UnsafeRawBufferPointer) -> Bool {
        guard stored.count == prefix.count + key.count else { return false }
        for i in 0..<prefix.count where stored[i] != prefix[i] { return false }
        var j = prefix.count
        for b in key {
            if stored[j] != b { return false }
            j += 1
        }
        return true
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }
}
