#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Gives each distinct name (a feature, a model) a small integer, so that the hot path indexes arrays instead of
/// hashing strings: a name's bytes are hashed (FNV-1a) and compared, no `String` is made. The bytes of all names
/// live in one buffer, so that a lookup touches no reference-counted storage but that one.
public struct NameInterner: Sendable {
    /// The names, by id.
    public private(set) var names: [String] = []
    private var storage: [UInt8] = []
    /// Where each name's bytes start in `storage`; one more entry than names (the end of the last).
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: slot → id + 1 (0: empty).
    private var slots: [Int32] = [Int32](repeating: 0, count: 64)

    public init() {}

    public var count: Int { names.count }

    /// The id of the name spelled by `prefix` followed by `key`, adding it if new. When `hint` names it (records
    /// of one shape list their keys in the same order), that costs one comparison and no hashing.
    public mutating func id(_ key: UnsafeRawBufferPointer, prefix: UnsafeRawBufferPointer = .init(start: nil, count: 0),
                            hint: Int32 = -1) -> Int32 {
        if hint >= 0 && Int(hint) < names.count && equal(Int(hint), prefix, key) { return hint }
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in prefix { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if hashes[id] == h && equal(id, prefix, key) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = names.count
        storage.append(contentsOf: prefix)
        storage.append(contentsOf: key)
        names.append(String(decoding: storage[offsets[id]...], as: UTF8.self))
        offsets.append(storage.count)
        hashes.append(h)
        slots[slot] = Int32(id + 1)
        if names.count * 2 > slots.count { grow() }
        return Int32(id)
    }

    /// The id of a name given as a string, adding it if new.
    public mutating func id(_ name: String) -> Int32 {
        Array(name.utf8).withUnsafeBytes { id($0) }
    }

    @inline(__always)
    private func equal(_ id: Int, _ prefix: UnsafeRawBufferPointer, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[id]
        guard offsets[id + 1] - start == prefix.count + key.count else { return false }
        return storage.withUnsafeBytes { s in
            Self.same(s.baseAddress! + start, prefix) && Self.same(s.baseAddress! + start + prefix.count, key)
        }
    }

    /// True when the `bytes.count` bytes at `stored` are `bytes`: names are short, so a loop of 8-byte words
    /// (no call to memcmp) decides.
    @inline(__always)
    private static func same(_ stored: UnsafeRawPointer, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            if stored.loadUnaligned(fromByteOffset: i, as: UInt64.self) != base.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if stored.load(fromByteOffset: i, as: UInt8.self) != base.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
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
